"""The sentences only the xlwings Lite scripts say: the Cloze CSV sheet and how to save it.

Every other line is the ribbon's own (:mod:`applinks.excel.sentences`).
"""

from __future__ import annotations

from applinks.wording import counted as count

#: The sheet the Cloze CSV script writes.
CSV_SHEET = "Cloze CSV"


def csv_message(rows: int, errors: int) -> str:
    """Return the Cloze CSV script's line: where the rows are and how to save them as a file."""
    text = (
        f'Put {count(rows, "row")} of the Cloze import file on the "{CSV_SHEET}" sheet. To save '
        f"it as a file, stay on that sheet and choose File > Save a Copy (on the web: File > "
        'Export > Download as CSV UTF-8) with the file type "CSV UTF-8 (Comma delimited)"; '
        "only that sheet is saved."
    )
    if errors:
        text += (
            f" The sheet still has {count(errors, 'error')} that Cloze would reject or misread "
            "(Check Sheet shows them)."
        )
    return text
