"""Find the App Link and other Cloze columns among a sheet's headers, and spot near misses."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

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

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(header: str) -> str:
    """Return the header lower-cased without spaces or punctuation (``App-ID`` -> ``appid``)."""
    return _NON_ALNUM.sub("", header.casefold())


_BY_VARIANT = {v: canon for canon, variants in VARIANTS.items() for v in variants}


@dataclass(frozen=True)
class NearMiss:
    """A header that is almost a Cloze header: ``position`` (0-based) and the exact header."""

    position: int
    header: str
    suggestion: str


@dataclass
class HeaderMap:
    """Where each recognised Cloze column is (0-based positions), plus header problems."""

    positions: dict[str, int] = field(default_factory=dict)
    near_misses: list[NearMiss] = field(default_factory=list)
    #: Header text -> every 0-based position that carries it (only when more than one).
    duplicates: dict[str, list[int]] = field(default_factory=dict)
    #: 0-based positions of columns whose header mentions an email address.
    email_columns: list[int] = field(default_factory=list)

    def get(self, canonical: str) -> int | None:
        return self.positions.get(canonical)


def map_headers(headers: list[str]) -> HeaderMap:
    """Locate the Cloze columns in ``headers``; exact headers win over variants and near misses.

    A header equal to a Cloze header after :func:`normalize`, or close to one, is used as that
    column but reported as a near miss (it is never renamed). The first of several columns
    claiming the same Cloze header is used.
    """
    result = HeaderMap()
    seen: dict[str, list[int]] = {}
    for pos, header in enumerate(headers):
        if header:
            seen.setdefault(header.strip().casefold(), []).append(pos)
    result.duplicates = {
        headers[positions[0]]: positions for positions in seen.values() if len(positions) > 1
    }
    # Exact headers first, so a near miss never shadows the real column.
    for pos, header in enumerate(headers):
        if header in VARIANTS and header not in result.positions:
            result.positions[header] = pos
    for pos, header in enumerate(headers):
        key = normalize(header)
        if "email" in key:
            result.email_columns.append(pos)
            continue
        if not header or header in VARIANTS:
            continue
        canonical = _BY_VARIANT.get(key) or _close_match(key)
        if canonical is None:
            continue
        result.near_misses.append(NearMiss(pos, header, canonical))
        result.positions.setdefault(canonical, pos)
    return result


def _close_match(key: str) -> str | None:
    """Return the Cloze header whose normalised form is one typo away from ``key``."""
    if len(key) < 5:  # "nme" or "stge" are too short to guess at safely
        return None
    matches = difflib.get_close_matches(key, list(_BY_VARIANT), n=1, cutoff=0.88)
    return _BY_VARIANT[matches[0]] if matches else None


def find_column(headers: list[str], wanted: str) -> int | None:
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
