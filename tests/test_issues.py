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


#: A value is shown whole in a message up to 80 characters; a longer one is cut to 79 and "…".
LONG = "https://www.zillow.com/homedetails/" + "x" * 45  # 80 characters


@pytest.mark.parametrize(
    ("value", "shown"),
    [(LONG, LONG), (LONG + "y", LONG[:79] + "\u2026"), ("a\tb", "a\\tb")],
    ids=["80-characters", "81-characters", "tab"],
)
def test_a_long_value_is_cut_in_the_message_but_kept_whole(value: str, shown: str) -> None:
    issue = make_issue("url-invalid", row=7, column="App Content URL", value=value)
    assert (issue.message, issue.value) == (
        f'Row 7: App Content URL "{shown}" is not a full web address; it must start with '
        '"https://" or "http://".',
        value,
    )
