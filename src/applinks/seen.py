"""The rows where each key of a cross-row check was seen, mergeable across two halves."""

from __future__ import annotations

from array import array
from collections.abc import Sequence


class Seen:
    """The sheet rows where each key was seen, compactly: the first row of every key, and all
    the rows of a key seen more than once, in order.

    A key is in a group (an App Unique ID in its App ID's group): a million ids cost one dict
    entry each. Rows must be noted in sheet order; a :class:`Seen` of later rows is taken in
    with :meth:`merge`.
    """

    def __init__(self) -> None:
        self.first: dict[str, dict[str, int]] = {}
        self.repeated: dict[tuple[str, str], array[int]] = {}

    def add(self, group: str, keys: Sequence[str], rows: Sequence[int]) -> None:
        """Note ``keys[i]`` of ``group`` on sheet row ``rows[i]``."""
        known = self.first.setdefault(group, {})
        if known.keys().isdisjoint(keys):
            count = len(known)
            known.update(zip(keys, rows, strict=True))
            if len(known) == count + len(keys):
                return  # no repeats: the common case, at C speed
            for key in keys:  # a key twice among these rows: again, one row at a time
                known.pop(key, None)
        repeated = self.repeated
        for key, r in zip(keys, rows, strict=True):
            first = known.setdefault(key, r)
            if first != r:
                repeated.setdefault((group, key), array("l", [first])).append(r)

    def add_rows(self, group: str, key: str, rows: Sequence[int]) -> None:
        """Note one key of ``group`` on each of ``rows`` (at least one)."""
        first = self.first.setdefault(group, {}).setdefault(key, rows[0])
        more = rows if first != rows[0] else rows[1:]
        if more:
            self.repeated.setdefault((group, key), array("l", [first])).extend(more)

    def rows(self, group: str, key: str) -> Sequence[int]:
        """Return every row noted for a key."""
        return self.repeated.get((group, key)) or [self.first[group][key]]

    def merge(self, later: Seen) -> None:
        """Take in what was noted in the rows after these (as if it had been noted here)."""
        repeated = self.repeated
        for group, theirs in later.first.items():
            mine = self.first.setdefault(group, {})
            if mine.keys().isdisjoint(theirs):
                mine.update(theirs)
                continue
            for key, row in theirs.items():
                first = mine.setdefault(key, row)
                if first != row:  # seen before: its rows there come after the rows here
                    rows = later.repeated.pop((group, key), [row])
                    repeated.setdefault((group, key), array("l", [first])).extend(rows)
        repeated.update(later.repeated)
