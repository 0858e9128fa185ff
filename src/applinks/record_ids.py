"""The one form of a record id, for apps that write one record's id several ways.

An app whose ids have several forms names its form in ``apps.toml`` (``canonical_id``); the
function here turns any form of an id into the one form, so two rows of one record compare
equal. An app without one keeps its ids exactly as given.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: The 32 characters of a Salesforce id's checksum, indexed by a 5-bit value.
_SALESFORCE_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SALESFORCE_15 = re.compile(r"[A-Za-z0-9]{15}")


def salesforce_18(uid: str) -> str:
    """Return the 18-character form of a 15-character Salesforce id (any other id as it is).

    Salesforce's documented checksum: for each 5-character chunk, bit ``i`` is set when
    character ``i`` is an upper-case letter, and the 5-bit value picks one of
    ``A``-``Z``, ``0``-``5``. The 18-character form is the one that survives case-blind tools.

    >>> salesforce_18("006j000000Pkp1d")
    '006j000000Pkp1dAAB'
    """
    if _SALESFORCE_15.fullmatch(uid) is None:
        return uid
    suffix = ""
    for start in range(0, 15, 5):
        bits = sum(1 << i for i, c in enumerate(uid[start : start + 5]) if "A" <= c <= "Z")
        suffix += _SALESFORCE_SUFFIX[bits]
    return uid + suffix


#: The forms ``canonical_id`` in apps.toml may name.
CANONICAL_FORMS: dict[str, Callable[[str], str]] = {"salesforce-18": salesforce_18}
