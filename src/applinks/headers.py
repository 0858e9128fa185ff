"""Find the App Link and other Cloze columns among a sheet's headers, and spot near misses.

A column is a Cloze column when its header is Cloze's exact header, a known spelling of it
(:data:`VARIANTS`, compared after :func:`normalize`) or one typo away from one. Where the sheet
has no Name column, a column headed like a record's name (:data:`NAME_ALIASES`) is the Name
column, unless the user names it (``name_column=``). :func:`cloze_headers` gives the header row
the CSV for Cloze carries: Cloze's exact header for every column used as one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from applinks.errors import NameColumnTaken, NoNameColumn, NotANameColumn
from applinks.table import APP_CONTENT_URL, APP_ID, APP_NAME, APP_UNIQUE_ID

NAME = "Name"
STAGE = "Stage"
SEGMENT = "Segment"
STEP = "Step"

#: Cloze headers we recognise, with the spellings people commonly use for each (compared
#: after :func:`normalize`). The canonical header itself is always a variant of itself.
VARIANTS: dict[str, tuple[str, ...]] = {
    APP_ID: ("appid", "applinkid", "appdomain", "sourceapp", "appsource"),
    APP_UNIQUE_ID: (
        "appuniqueid",
        "uniqueid",
        "appuid",
        "applinkuniqueid",
        "appuniqueidentifier",
        "appurecordid",
        "apprecordid",
    ),
    APP_NAME: ("appname", "applinkname", "applabel"),
    APP_CONTENT_URL: (
        "appcontenturl",
        "appurl",
        "applink",
        "applinkurl",
        "contenturl",
        "appcontentlink",
    ),
    NAME: ("name",),
    STAGE: ("stage",),
    SEGMENT: ("segment",),
    STEP: ("step",),
}

#: Headers taken as the Name column when the sheet has no Name column (nor a spelling of it),
#: in this order of preference: a record's name before an address. Left out on purpose:
#: ``Title`` (in real estate often the title company or the title's status), ``Address`` (often
#: a person's mailing address), ``Account Name`` (the company, not the deal), and a bare
#: ``Deal`` or ``Project`` (often a type or a category).
NAME_ALIASES: tuple[str, ...] = (
    "Deal Name",
    "Opportunity Name",
    "Project Name",
    "Property Name",
    "Listing Name",
    "Listing Title",
    "Property Address",
    "Listing Address",
)

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
#: The error values a cell can show, exactly as Excel shows them.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
        "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
        "#PYTHON!", "#EXTERNAL!",
    }
)  # fmt: skip
#: The same in text, in any case: the final "?" or "!" is optional because some programs drop
#: it when they export.
_ERROR_VALUE = re.compile(
    "|".join(re.escape(error.rstrip("!?")) + "[!?]?" for error in sorted(EXCEL_ERRORS)),
    re.IGNORECASE,
)


def is_error_value(text: str) -> bool:
    """Return True for text that is one of Excel's error values (``#N/A``, ``#NAME?``)."""
    return _ERROR_VALUE.fullmatch(text.strip()) is not None


def normalize(header: str) -> str:
    """Return the header lower-cased without spaces or punctuation (``App-ID`` -> ``appid``)."""
    return _NON_ALNUM.sub("", header.casefold())


_BY_VARIANT = {v: canon for canon, variants in VARIANTS.items() for v in variants}
_ALIAS_KEYS = tuple(normalize(a) for a in NAME_ALIASES)
#: Every spelling the headers know (a name for the Name column too) -> the Cloze header it names.
_NAMED = {**dict.fromkeys(_ALIAS_KEYS, NAME), **_BY_VARIANT}


def cloze_header_of(text: str) -> str | None:
    """Return the Cloze header that ``text`` is, or is a known spelling of, or a name for (the
    Name column's); None for anything else, an error value among them (``#NAME?`` is no
    "Name" header once its punctuation is dropped)."""
    return None if is_error_value(text) else _NAMED.get(normalize(text))


def is_cloze_header(text: str) -> bool:
    """Return True for a Cloze header, a known spelling of one, or a name for the Name column."""
    return cloze_header_of(text) is not None


@dataclass(frozen=True)
class NearMiss:
    """A header that is almost a Cloze header: ``position`` (0-based) and the exact header."""

    position: int
    header: str
    suggestion: str


@dataclass(frozen=True)
class Rename:
    """A column the CSV for Cloze carries under Cloze's exact header: its 0-based
    ``position``, its ``header`` in the sheet and the ``cloze_header`` written instead."""

    position: int
    header: str
    cloze_header: str


@dataclass
class HeaderMap:
    """Where each recognised Cloze column is (0-based positions), plus header problems."""

    positions: dict[str, int] = field(default_factory=dict)
    #: Near misses used as their Cloze column (written under the exact header).
    near_misses: list[NearMiss] = field(default_factory=list)
    #: Near misses of a Cloze column that another column already is (kept as they are).
    unused: list[NearMiss] = field(default_factory=list)
    #: The column taken as the Name column by its header (``Deal Name``), when there is one.
    name_alias: NearMiss | None = None
    #: Header text -> every 0-based position that carries it (only when more than one).
    duplicates: dict[str, list[int]] = field(default_factory=dict)
    #: 0-based positions of columns whose header mentions an email address.
    email_columns: list[int] = field(default_factory=list)

    def get(self, canonical: str) -> int | None:
        return self.positions.get(canonical)


def map_headers(headers: Sequence[str], *, name_column: str | None = None) -> HeaderMap:
    """Locate the Cloze columns in ``headers``; exact headers win over variants and near misses.

    A header equal to a Cloze header after :func:`normalize`, or close to one, is used as that
    column and reported as a near miss (the CSV for Cloze carries the exact header, see
    :func:`cloze_headers`). The first of several columns claiming the same Cloze header is
    used; the others are kept as they are (``unused``). Without a Name column, the first
    header of :data:`NAME_ALIASES` found is the Name column (``name_alias``).

    ``name_column`` names the Name column (exact text first, then as :func:`normalize` sees
    it); it wins over every guess.

    Raises:
        UsageError: ``name_column`` names no column, names another Cloze column, or the sheet
            has another column headed exactly "Name".
    """
    result = HeaderMap()
    seen: dict[str, list[int]] = {}
    for pos, header in enumerate(headers):
        if header:
            seen.setdefault(header.strip().casefold(), []).append(pos)
    result.duplicates = {
        headers[positions[0]]: positions for positions in seen.values() if len(positions) > 1
    }
    named = _named_column(headers, name_column) if name_column is not None else None
    if named is not None:
        result.positions[NAME] = named
    # Exact headers first, so a near miss never shadows the real column.
    for pos, header in enumerate(headers):
        if header in VARIANTS and header not in result.positions and pos != named:
            result.positions[header] = pos
    for pos, header in enumerate(headers):
        key = normalize(header)
        if "email" in key:
            result.email_columns.append(pos)
            continue
        if not header or header in VARIANTS or pos == named or is_error_value(header):
            continue  # (a formula showing #NAME? is no "Name" header)
        canonical = _BY_VARIANT.get(key) or _close_match(key)
        if canonical is None:
            continue
        used = result.positions.setdefault(canonical, pos)
        (result.near_misses if used == pos else result.unused).append(
            NearMiss(pos, header, canonical)
        )
    if NAME not in result.positions:
        alias = _name_alias(headers, set(result.positions.values()))
        if alias is not None:
            result.positions[NAME] = alias
            result.name_alias = NearMiss(alias, headers[alias], NAME)
    return result


def cloze_headers(
    headers: Sequence[str], *, name_column: str | None = None
) -> tuple[list[str], list[Rename]]:
    """Return the header row the CSV for Cloze carries, and the columns renamed in it.

    Every column :func:`map_headers` uses as a Cloze column is written under Cloze's exact
    header (``AppID`` -> ``App ID``, ``App URL`` -> ``App Content URL``, ``Deal Name`` ->
    ``Name``); every other column keeps its text, a second ``AppID`` beside an exact ``App ID``
    too.

    >>> cloze_headers(["name", "AppID", "App ID", "Zip"])
    (['Name', 'AppID', 'App ID', 'Zip'], [Rename(position=0, header='name', cloze_header='Name')])

    Raises:
        UsageError: as :func:`map_headers`.
    """
    found = map_headers(headers, name_column=name_column)
    out = list(headers)
    renames: list[Rename] = []
    for canonical, pos in sorted(found.positions.items(), key=lambda item: item[1]):
        if headers[pos] != canonical:
            out[pos] = canonical
            renames.append(Rename(pos, headers[pos], canonical))
    return out, renames


def _named_column(headers: Sequence[str], name_column: str) -> int:
    """Return the position of the column the user named as the Name column."""
    found = find_column(headers, name_column)
    if found is None:
        raise NoNameColumn(name_column, headers)
    header = headers[found]
    canonical = header if header in VARIANTS else _BY_VARIANT.get(normalize(header))
    if canonical is not None and canonical != NAME:
        raise NotANameColumn(header, canonical, column=name_column)
    if NAME in headers and headers.index(NAME) != found:
        raise NameColumnTaken(header, column=name_column)
    return found


def _name_alias(headers: Sequence[str], taken: set[int]) -> int | None:
    """Return the position of the first header of :data:`NAME_ALIASES` (in its order)."""
    keys = [normalize(h) if pos not in taken else "" for pos, h in enumerate(headers)]
    for alias in _ALIAS_KEYS:
        if alias in keys:
            return keys.index(alias)
    return None


def _close_match(key: str) -> str | None:
    """Return the Cloze header whose normalised form is one typo away from ``key``."""
    if len(key) < 5:  # "nme" or "stge" are too short to guess at safely
        return None
    matches = difflib.get_close_matches(key, list(_BY_VARIANT), n=1, cutoff=0.88)
    return _BY_VARIANT[matches[0]] if matches else None


def find_column(headers: Sequence[str], wanted: str) -> int | None:
    """Return the position of the column the user named: exact text first, then normalised."""
    if wanted in headers:
        return headers.index(wanted)
    key = normalize(wanted)
    for pos, header in enumerate(headers):
        if normalize(header) == key:
            return pos
    return None


def column_letter(position: int) -> str:
    """Return the Excel column letters for a 0-based position (0 -> ``A``, 26 -> ``AA``)."""
    letters = ""
    n = position + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
