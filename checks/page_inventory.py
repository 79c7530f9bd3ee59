"""Which sveden itemprops a page carries, how many of each, and how they read (current or outdated)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from checks.microdata import MarkedElement
from checks.vocabulary import Vocabulary

__all__ = ["PageInventory", "inventory_of"]


@dataclass
class PageInventory:
    """Element counts per token: current MR v9 names, outdated names (with what replaces them), hidden.

    Foreign tokens (vendor markers; schema.org properties never reach here) are counted apart
    so a report can say they were ignored.
    """

    current: Counter[str] = field(default_factory=Counter)
    legacy: Counter[str] = field(default_factory=Counter)
    replacements: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    first_urls: dict[str, str] = field(default_factory=dict)
    hidden: Counter[str] = field(default_factory=Counter)
    foreign: Counter[str] = field(default_factory=Counter)

    def found(self) -> Counter[str]:
        """Every sveden token found, current and outdated."""
        return self.current + self.legacy


def inventory_of(
    elements: Iterable[MarkedElement], vocabulary: Vocabulary, subsection: str | None
) -> PageInventory:
    """Count the tokens of `elements` read as on a page of `subsection`."""
    inventory = PageInventory()
    for element in elements:
        for token in element.tokens:
            meaning = vocabulary.meaning(token, subsection)
            if meaning.kind == "foreign":
                inventory.foreign[token] += 1
                continue
            if meaning.kind == "current":
                inventory.current[token] += 1
            else:
                inventory.legacy[token] += 1
                inventory.replacements[token] = meaning.current
                inventory.notes[token] = meaning.note
            inventory.first_urls.setdefault(token, element.page_url)
            if not element.visible:
                inventory.hidden[token] += 1
    return inventory
