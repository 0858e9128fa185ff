"""The report: its one-line summary, in words a user reads."""

from __future__ import annotations

import pytest

from applinks.issues import Report, make_issue

ERROR = make_issue("name-missing", row=2, column="Name")
WARNING = make_issue("url-missing", row=2, column="App Content URL", app_id="zillow.com")


@pytest.mark.parametrize(
    ("errors", "warnings", "rows", "summary"),
    [
        (0, 0, 40, "No problems found in 40 rows."),
        (0, 0, None, "No problems found."),
        (0, 1, 1, "0 errors, 1 warning in 1 row."),
        (1, 0, 2, "1 error, 0 warnings in 2 rows."),
        (2, 1, 40, "2 errors, 1 warning in 40 rows."),
        (1, 2, None, "1 error, 2 warnings."),
        (0, 0, 0, "No problems found in 0 rows."),
    ],
)
def test_the_summary_counts_in_words(
    errors: int, warnings: int, rows: int | None, summary: str
) -> None:
    report = Report([ERROR] * errors + [WARNING] * warnings)
    assert report.summary(rows) == summary
