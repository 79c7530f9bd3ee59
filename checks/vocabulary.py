"""What an itemprop token means: a current MR v9 name, an outdated one, or not sveden data at all.

Outdated names are recognised in two ways. Folding (lower case, ``-`` and ``_`` removed) maps
the 2014 PascalCase forms and snake_case spellings to the current name *valid in the same
subsection* (``RegDate`` → ``regDate``, ``E-mail`` → ``email``, ``License_DocLink`` →
``licenseDocLink``; ``Name`` folds to the struct unit's ``name`` only on the struct page).
Names that folding cannot map come from the rulebook's ``legacy_names``. Any other token
(vendor markers such as ``noInfo``) is foreign: it is neither counted nor demanded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from checks.rulebook import Rulebook

__all__ = ["GLOBAL_NAMES", "TokenMeaning", "Vocabulary", "fold"]

#: MR v9 names that are valid on every subsection page.
GLOBAL_NAMES = frozenset({"addRef", "copy"})


def fold(token: str) -> str:
    """The case- and punctuation-insensitive form of a token."""
    return token.lower().replace("-", "").replace("_", "")


@dataclass(frozen=True)
class TokenMeaning:
    """The reading of one token: ``current`` names say what to use instead of a legacy one."""

    kind: Literal["current", "legacy", "foreign"]
    current: tuple[str, ...] = ()
    note: str = ""


_FOREIGN = TokenMeaning("foreign")


class Vocabulary:
    """Every itemprop the rulebook knows, per subsection, with the outdated names."""

    def __init__(self, rulebook: Rulebook) -> None:
        self._by_subsection: dict[str, set[str]] = defaultdict(set)
        for rule in rulebook.rules:
            if rule.itemprop and rule.subsection:
                self._by_subsection[rule.subsection].add(rule.itemprop)
                self._by_subsection[rule.subsection].update(filter(None, [rule.parent]))
        self._all = set(GLOBAL_NAMES).union(*self._by_subsection.values())
        self._legacy = {(legacy.name, legacy.subsection): legacy for legacy in rulebook.legacy_names}
        self._meanings: dict[tuple[str, str | None], TokenMeaning] = {}

    def names(self, subsection: str | None) -> frozenset[str]:
        """The current names valid on a subsection's pages (all of them when it is not known)."""
        if subsection is None:
            return frozenset(self._all)
        return frozenset(self._by_subsection.get(subsection, set()) | GLOBAL_NAMES)

    def meaning(self, token: str, subsection: str | None) -> TokenMeaning:
        """How `token` reads on a page of `subsection` (None: a page of unknown subsection)."""
        key = (token, subsection)
        if key not in self._meanings:
            self._meanings[key] = self._read(token, subsection)
        return self._meanings[key]

    def _read(self, token: str, subsection: str | None) -> TokenMeaning:
        if token in self._all:
            return TokenMeaning("current", (token,))
        listed = self._legacy.get((token, subsection)) or self._legacy.get((token, None))
        if listed is not None:
            return TokenMeaning("legacy", listed.current, listed.note)
        folded = fold(token)
        for scope in (self.names(subsection), frozenset(self._all)):
            matches = sorted(name for name in scope if fold(name) == folded)
            if matches:
                return TokenMeaning("legacy", (matches[0],), "устаревшее написание имени свойства")
        return _FOREIGN
