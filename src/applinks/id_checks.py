"""The checks of App Unique IDs against their app: its id form, the row's own link, and the
rows that hold one record.

Each costs per distinct value, and little per cell: the ids that do not fit their app's id
pattern are found with a C-level pass over a block's distinct ids, and a link that gives back
its row's own id (the common case) with one regular expression; only the other links are read
through the app registry, once per distinct value (through the sheet's memos).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import and_, eq, is_not, itemgetter, ne, not_
from typing import TYPE_CHECKING, NamedTuple, cast

from applinks.issues import Issue, make_issue
from applinks.registry import AppEntry, Registry, read_link
from applinks.table import APP_UNIQUE_ID
from applinks.templates import ID_GROUP, link_pattern

if TYPE_CHECKING:
    from applinks.check_list import Rows, Sheet
    from applinks.seen import Seen

_LIST_LIMIT = 10
#: Marks the group of a ``Seen`` that holds the ids written in another form than the app's one
#: form (a Salesforce 15-character id), keyed by the id as written.
_OTHER_FORMS = "\x00"


class _FirstForm(NamedTuple):
    """How an app's first link form reads an id back out of a link (as
    :meth:`~applinks.registry.AppEntry.extract_id` tries it first)."""

    pattern: re.Pattern[str]
    fits: Callable[[str], object] | None
    upper_ids: bool


def _first_form(app: str, registry: Registry) -> _FirstForm | None:
    """The app's first link form, or None when it has none with an id in it."""
    entry = registry.get(app)
    if entry is None or not entry.kinds:
        return None
    pattern = link_pattern(next(iter(entry.kinds.values())))
    return None if pattern is None else _FirstForm(pattern, entry.id_fullmatch, entry.upper_ids)


def _id_in_link(key: tuple[str, str], registry: Registry) -> str:
    """The record id the app reads in a link, or "" (an unknown app, no id found)."""
    url, app = key
    entry = registry.get(app)
    return read_link(url, registry, app=entry).unique_id if entry is not None else ""


def _canonical(key: tuple[str, str], registry: Registry) -> str:
    """The one form of an App Unique ID (:meth:`~applinks.registry.AppEntry.canonical_id`)."""
    app, uid = key
    entry = registry.get(app)
    return entry.canonical_id(uid) if entry is not None else uid


def _known_apps(b: Rows) -> dict[str, str]:
    """The App IDs of the block that the registry knows, with their plain form."""
    registry = b.sheet.registry
    return {a: app.canon for a, app in b.apps.items() if registry.get(app.canon) is not None}


def _rows_of_apps(b: Rows, wanted: list[bool], known: dict[str, str]) -> dict[str, list[int]]:
    """The places in the block of the rows of ``wanted``, by App ID: one pass over the block
    however many apps it has (a pass per app costs as many passes as there are apps)."""
    picked = compress(range(b.size), wanted)
    if len(known) == 1:  # (``wanted`` holds the rows of known apps only)
        return {next(iter(known)): list(picked)}
    by_app: dict[str, list[int]] = defaultdict(list)
    app_ids = b.app_ids
    for i in picked:
        by_app[app_ids[i]].append(i)
    return by_app


def _at(values: Sequence[str], places: list[int], size: int) -> Sequence[str]:
    """The values at ``places`` (all of them, as they are, when the places are every row)."""
    return values if len(places) == size else list(map(values.__getitem__, places))


def _not_fitting(entry: AppEntry, uids: set[str]) -> list[str]:
    """The ids (as written) that do not fit ``entry``'s id pattern once stripped: a C-level
    pass over the distinct ids, however many rows hold them."""
    fits = entry.id_fullmatch
    if fits is None:
        return []
    ids = list(uids)
    return list(compress(ids, map(not_, map(fits, map(str.strip, ids)))))


def unique_id_not_app_format(b: Rows) -> list[Issue]:
    """An App Unique ID that does not fit its app's id pattern (Salesforce ids under Zillow);
    not an id Excel has damaged (``unique-id-mangled`` tells what went wrong)."""
    known = _known_apps(b)
    if not known:
        return []
    wanted = list(map(and_, b.pair, map(known.__contains__, b.app_ids)))
    app_ids, uids = b.app_ids, b.uids
    names, bad = dict[str, str](), set[tuple[str, str]]()
    for app_id, places in _rows_of_apps(b, wanted, known).items():
        entry = b.sheet.registry.get(known[app_id])
        assert entry is not None  # (a known app)
        names[app_id] = entry.name
        ids = set(_at(uids, places, b.size))
        bad.update((app_id, uid) for uid in _not_fitting(entry, ids))
    if not bad:
        return []
    from applinks.check_list import mangled_reason  # (imported here: that module imports this)

    # Not on an id Excel has damaged: unique-id-mangled says what went wrong with it already.
    cells = b.uid_cells
    found = map(and_, wanted, map(bad.__contains__, zip(app_ids, uids, strict=True)))
    hits = [hit and not mangled_reason(cells[i]) for i, hit in enumerate(found)]
    return b.issues_at(
        hits,
        "unique-id-not-app-format",
        APP_UNIQUE_ID,
        lambda i: {"value": uids[i], "app_id": app_ids[i], "name": names[app_ids[i]]},
    )


def _not_read_back(b: Rows, canon: str, places: list[int]) -> list[int]:
    """The places of ``places`` (rows of the app ``canon``) whose link must be read through the
    registry: not a plain link (its own stripped text, a valid URL) that gives back the row's
    App Unique ID through the app's first link form. Such a link opens the row's own record;
    one regular expression per row finds it, instead of a reading of each distinct link.

    The link is then read as that id (:func:`~applinks.registry.read_link`): the form reads it
    first, it needs no decoding and fits the app's id pattern (in capitals, for an app whose
    ids are); or, on a map or short-link site, as no id at all. Neither is a mismatch.
    """
    form = b.sheet.memo(_first_form)(canon)
    if form is None:
        return places
    odd: list[int] = []
    if not b.all_plain:  # (the links that are not plain are read whole)
        plain = b.plain
        odd = [i for i in places if plain[i] is None]
        places = [i for i in places if plain[i] is not None]
    uids, urls = _at(b.uids, places, b.size), _at(b.urls, places, b.size)
    found = list(map(form.pattern.fullmatch, urls))
    if None in found:
        ids = [m[ID_GROUP] if m is not None else None for m in found]
    else:  # every link has the form: the common case, at C speed
        ids = list(map(_THE_ID, cast("list[re.Match[str]]", found)))
    same = map(eq, ids, uids)
    fit = map(is_not, map(form.fits, uids), repeat(None)) if form.fits else repeat(True)
    whole = map(not_, map(str.__contains__, uids, repeat("%")))
    cased = map(eq, uids, map(str.upper, uids)) if form.upper_ids else repeat(True)
    back = map(and_, map(and_, map(and_, same, fit), whole), cased)
    return odd + list(compress(places, map(not_, back)))


_THE_ID = itemgetter(ID_GROUP)


def unique_id_url_mismatch(b: Rows) -> list[Issue]:
    """An App Unique ID that is not the record its own App Content URL opens; the suggestion is
    the id in the link. Ids are compared in their app's one form (15 and 18 agree)."""
    known = _known_apps(b)
    if not known:
        return []
    wanted = list(map(and_, map(and_, b.pair, b.url_ok), map(known.__contains__, b.app_ids)))
    app_ids, uids, urls = b.app_ids, b.uids, b.urls
    # Most links give back their row's own id: only the others are read.
    triples = set[tuple[str, str, str]]()
    for app_id, places in _rows_of_apps(b, wanted, known).items():
        left = _not_read_back(b, known[app_id], places)
        triples.update(
            zip(repeat(app_id), map(uids.__getitem__, left), map(urls.__getitem__, left))
        )
    read, form = b.sheet.memo(_id_in_link), b.sheet.memo(_canonical)
    found: dict[tuple[str, str, str], str] = {}
    for app_id, uid, url in triples:
        app = known[app_id]
        in_link = read((url, app))
        if in_link and form((app, in_link)) != form((app, uid.strip())):
            found[app_id, uid, url] = in_link
    if not found:
        return []
    # (A row whose link gives back its own id holds no pair of ``found``.)
    hits = map(and_, wanted, map(found.__contains__, zip(app_ids, uids, urls, strict=True)))
    return b.issues_at(
        hits,
        "unique-id-url-mismatch",
        APP_UNIQUE_ID,
        lambda i: {"value": uids[i], "suggestion": found[app_ids[i], uids[i], urls[i]]},
    )


# --- the rows that hold one record ------------------------------------------------------------


def note_pairs(b: Rows, seen: Seen) -> None:
    """Note the rows of each (App ID, App Unique ID) pair: App IDs by their plain form, ids by
    their app's one form; an id written in another form is noted as written too."""
    pair = b.pair
    if not any(pair):
        return
    numbers, uids, apps = b.numbers, b.uids, b.apps
    if not all(pair):
        numbers, uids = list(compress(numbers, pair)), list(compress(uids, pair))
    if len(apps) == 1:
        (app,) = apps.values()
        _note_ids(b.sheet, seen, app.canon, uids, numbers)
        return
    by_canon: dict[str, tuple[list[str], list[int]]] = defaultdict(lambda: ([], []))
    for r, app_id, uid in zip(numbers, compress(b.app_ids, pair), uids, strict=True):
        keys, rows = by_canon[apps[app_id].canon]
        keys.append(uid)
        rows.append(r)
    for canon, (keys, rows) in by_canon.items():
        _note_ids(b.sheet, seen, canon, keys, rows)


def _note_ids(sheet: Sheet, seen: Seen, app: str, uids: Sequence[str], rows: Sequence[int]) -> None:
    entry = sheet.registry.get(app)
    if entry is None or not entry.id_form:
        seen.add(app, uids, rows)  # each id has one form: the common case
        return
    distinct = list(set(uids))  # (an app's one form, worked out once per distinct id)
    one = dict(zip(distinct, map(entry.canonical_id, distinct), strict=True))
    keys = list(map(one.__getitem__, uids))
    seen.add(app, keys, rows)
    other = list(map(ne, keys, uids))
    if any(other):  # (noted all at once: 15-character Salesforce ids are all in another form)
        seen.add(app + _OTHER_FORMS, list(compress(uids, other)), list(compress(rows, other)))


def duplicate_issues(seen: Seen, sheet: Sheet) -> list[Issue]:
    """One record on several rows: the same id again (``unique-id-duplicate``, Cloze merges
    the rows), or written in another form (``unique-id-same-record``, Cloze makes two records;
    the suggestion is the app's one form)."""
    column, out = sheet.label(APP_UNIQUE_ID), list[Issue]()
    forms = _other_forms(seen, sheet)
    for (app_id, key), rows in seen.repeated.items():
        if app_id.endswith(_OTHER_FORMS):
            continue
        written = forms.get((app_id, key), {})
        taken = {r for rs in written.values() for r in rs}
        spellings = {**written, key: [r for r in rows if r not in taken]}
        spellings = {uid: rs for uid, rs in spellings.items() if rs}
        for uid, same in spellings.items():
            for r in same if len(same) > 1 else []:
                others = _list_rows([o for o in same if o != r])
                out.append(
                    make_issue(
                        "unique-id-duplicate",
                        row=r,
                        column=column,
                        value=uid,
                        app_id=app_id,
                        others=others,
                    )
                )
        for uid, same in spellings.items() if len(spellings) > 1 else []:
            if uid == key:
                continue
            others = _list_rows(sorted(o for o in rows if o not in same))
            out.extend(
                make_issue(
                    "unique-id-same-record",
                    row=r,
                    column=column,
                    value=uid,
                    suggestion=key,
                    others=others,
                )
                for r in same
            )
    return out


def _other_forms(seen: Seen, sheet: Sheet) -> dict[tuple[str, str], dict[str, list[int]]]:
    """The ids written in another form, by (App ID, the one form): the rows of each spelling."""
    out: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(dict)
    form = sheet.memo(_canonical)
    for group, written in seen.first.items():
        if not group.endswith(_OTHER_FORMS):
            continue
        app = group[: -len(_OTHER_FORMS)]
        for uid in written:
            key = form((app, uid))
            if (app, key) in seen.repeated:
                out[app, key][uid] = list(seen.rows(group, uid))
    return out


def _list_rows(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:_LIST_LIMIT])
    return shown + (f" and {len(rows) - _LIST_LIMIT} more" if len(rows) > _LIST_LIMIT else "")
