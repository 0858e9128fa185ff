"""Fill one row at a time: which app each row belongs to, how its link is made, and why a row
could not be filled.

A row's own App ID wins over the app chosen for the fill. A row whose App ID is blank or the
chosen app's is filled from the chosen app's ids (the id column) and link format; a row of
another app is filled from its own App Unique ID and its own app's link format when the
registry knows one, and is otherwise left as it is. Each row that could not be filled gets an
issue that says why, at its cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from urllib.parse import quote

from applinks.domains import canonical_app_id
from applinks.errors import TemplateError
from applinks.issues import Issue, make_issue
from applinks.registry import AppEntry, Registry
from applinks.table import Cell, cell_text

#: Characters ``urllib.parse.quote`` never changes; an id made only of them goes in as it is.
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~-]*")
_MARKS = ("Qx7applinksIdMarkQ", "Zq3applinksIdMarkZ")

Render = Callable[[str], str]
#: At most this many App ID texts keep their answer (bounded memory however odd the sheet).
_CHOSEN_LIMIT = 10_000


def renderer(
    entry: AppEntry, settings: Mapping[str, str] | None, kind: str | None
) -> tuple[Render, Callable[[list[str]], list[str]]]:
    """Return functions giving ``entry.render_url(uid, ...)`` for one id and for a list, fast.

    The template is rendered once around a marker, and each id (percent-encoded when it needs
    to be) is put where the marker was. When two different markers do not give the same
    pieces (a setting contains one), every id is rendered in full.
    """
    first, second = (entry.render_url(m, settings=settings, kind=kind) for m in _MARKS)
    pieces = first.split(_MARKS[0])
    if len(pieces) < 2 or second.split(_MARKS[1]) != pieces:

        def full(uid: str) -> str:
            return entry.render_url(uid, settings=settings, kind=kind)

        return full, partial(_each, full)
    join, plain = str.join, _URL_SAFE.fullmatch

    def render(uid: str) -> str:
        return join(uid if plain(uid) else quote(uid, safe=""), pieces)

    def render_all(uids: list[str]) -> list[str]:
        if plain("".join(uids)):  # every id is made of characters a URL takes as they are
            return list(map(join, uids, repeat(pieces)))
        return list(map(render, uids))

    return render, render_all


def _each(render: Render, uids: list[str]) -> list[str]:
    return list(map(render, uids))


@dataclass
class RowApps:
    """The app of each row: the chosen one (``chosen``) or the row's own.

    ``headers`` are the App ID column's and the App Unique ID column's, for the issues.
    """

    chosen: AppEntry
    registry: Registry
    headers: tuple[str, str]
    _others: dict[str, tuple[AppEntry, Render] | str] = field(default_factory=dict)
    #: The answer of :meth:`is_chosen` for each App ID text met (a sheet has few).
    _chosen: dict[str, bool] = field(default_factory=dict)

    def is_chosen(self, app_id: Cell) -> bool:
        """Whether a row with this App ID cell is the chosen app's (a blank one is)."""
        text = app_id if type(app_id) is str else cell_text(app_id)
        found = self._chosen.get(text)
        if found is None:
            plain = text.strip()
            found = not plain or canonical_app_id(plain) == self.chosen.app_id
            if len(self._chosen) < _CHOSEN_LIMIT:
                self._chosen[text] = found
        return found

    def other(self, app_id: str) -> tuple[AppEntry, Render] | str:
        """Return another app's entry and link maker, or why its links cannot be made."""
        key = canonical_app_id(app_id)
        if key not in self._others:
            entry = self.registry.get(key)
            found: tuple[AppEntry, Render] | str = "no link format is known for it"
            if entry is not None and entry.kinds:
                try:
                    found = (entry, renderer(entry, None, None)[0])
                except TemplateError:
                    found = "its links need an account setting"
            self._others[key] = found
        return self._others[key]

    def fill_other(self, r: int, row: list[Cell], targets: Sequence[int]) -> Issue | int:
        """Fill the blank cells of a row of another app from its own id and link format.

        Returns the issue that says why the row could not be filled, else how many rows were
        filled (0 when the row needed nothing).
        """
        if all(row[p] is not None and row[p] != "" for p in targets):
            return 0  # a whole App Link of its own
        app_cell, uid_cell = row[targets[0]], row[targets[1]]
        app_text, uid = cell_text(app_cell), cell_text(uid_cell)
        found = self.other(app_text)
        if isinstance(found, str):
            return make_issue(
                "fill-other-app",
                row=r,
                column=self.headers[0],
                value=app_text,
                name=self.chosen.name,
                reason=found,
            )
        entry, render = found
        if not uid.strip():
            return make_issue("fill-no-id", row=r, column=self.headers[1])
        if not entry.id_matches(uid.strip()):
            return self.not_fitting(r, uid, entry, self.headers[1])
        for position, value in zip(targets[2:], (entry.name, render(uid.strip())), strict=True):
            if row[position] is None or row[position] == "":
                row[position] = value
        return 1

    def not_fitting(self, r: int, uid: str, entry: AppEntry, column: str) -> Issue:
        """The issue of an id that does not have the form of ``entry``'s ids."""
        return make_issue(
            "fill-id-not-app-format", row=r, column=column, value=uid, name=entry.name
        )
