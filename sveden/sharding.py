"""Splitting the registry into shards for a GitHub Actions matrix: ``--shard i/n``.

A school's shard depends only on its id (a stable hash), never on the order or size of the
registry, so the same school lands in the same job every night and the n shards together
hold every school exactly once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["ShardSpec"]


@dataclass(frozen=True)
class ShardSpec:
    """Shard `index` of `count` (1-based: ``1/4`` … ``4/4``)."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> ShardSpec:
        """Read ``i/n``; raises ValueError with the reason."""
        index_text, slash, count_text = text.partition("/")
        if not slash or not index_text.strip().isdigit() or not count_text.strip().isdigit():
            raise ValueError(f"shard must look like i/n, e.g. 2/4: {text!r}")
        index, count = int(index_text), int(count_text)
        if count < 1 or not 1 <= index <= count:
            raise ValueError(f"shard i/n needs 1 ≤ i ≤ n: {text!r}")
        return cls(index, count)

    @property
    def label(self) -> str:
        """``i/n``."""
        return f"{self.index}/{self.count}"

    def includes(self, school_id: str) -> bool:
        """Whether `school_id` belongs to this shard."""
        digest = hashlib.sha256(school_id.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1
