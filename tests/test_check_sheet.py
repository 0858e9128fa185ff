"""The App Link Check sheet's layout, the one the annotated file and the add-in both show."""

from __future__ import annotations

from applinks.check_sheet import (
    CHECK_COLUMNS,
    CHECK_WIDTHS,
    Link,
    check_sheet_layout,
    known_source,
)
from applinks.issues import Report, make_issue

HEADERS = ["Name", "App ID", "App ID", "Notes", "App Unique ID"]
INTRO = (
    "Red cells on the data sheet are errors and yellow cells are warnings; those flags update "
    "as you type. Click a cell address below to go to it. Checks that a formula cannot make "
    "(subdomains, spellings of one App ID, links to another app) are listed here only: check "
    "the file again after fixing."
)


def _report() -> Report:
    return Report(
        [
            make_issue(
                "app-id-not-lowercase", row=3, column="App ID", value="Z.com", suggestion="z.com"
            ),
            make_issue("name-missing", row=4, column="Name"),
            make_issue("header-near-miss", row=1, column="Stage ", suggestion="Stage"),
        ]
    )


def test_the_layout_lists_summary_issues_with_links_and_the_app_ids() -> None:
    report = _report()
    [lower, name, header] = report.issues
    layout = check_sheet_layout(
        report, data_title="Bob's deals", headers=HEADERS, rows=3, app_ids=["a.com", "b.com"]
    )
    link = Link("B3", "'Bob''s deals'!B3")  # the first of two App ID columns
    assert layout.rows == [
        (1, [(0, 'Check of sheet "Bob\'s deals": 2 errors, 1 warning in 3 rows.')]),
        (2, [(0, INTRO)]),
        (5, [*enumerate(CHECK_COLUMNS), (10, "Known App IDs")]),
        (
            6,
            [
                *enumerate(
                    [3, "App ID", link, "app-id-not-lowercase", "error", lower.message, "Z.com"]
                ),
                (7, "z.com"),
                (10, "a.com"),
            ],
        ),
        (
            7,
            [
                *enumerate([4, "Name", Link("A4", "'Bob''s deals'!A4"), "name-missing", "error"]),
                (5, name.message),
                (6, ""),
                (7, ""),
                (10, "b.com"),
            ],
        ),
        # A column the sheet does not have: no address, no link.
        (
            8,
            list(
                enumerate(
                    [1, "Stage ", "", "header-near-miss", "warning", header.message, "", "Stage"]
                )
            ),
        ),
    ]
    assert (layout.last_row, layout.known_rows, layout.header_row) == (8, (6, 7), 5)
    assert layout.widths == CHECK_WIDTHS == (7, 18, 8, 22, 9, 90, 28, 24, 3, 3, 22)
    assert link.formula == "=HYPERLINK(\"#'Bob''s deals'!B3\",\"B3\")"
    grid = layout.grid()
    assert len(grid) == 8 and {len(row) for row in grid} == {11}
    assert grid[0] == [layout.rows[0][1][0][1]] + [None] * 10
    assert grid[3] == [None] * 11
    assert grid[6] == [4, "Name", Link("A4", "'Bob''s deals'!A4"), "name-missing", "error",
                       name.message, "", "", None, None, "b.com"]  # fmt: skip


def test_a_longer_app_id_list_runs_past_the_issues() -> None:
    layout = check_sheet_layout(
        Report([]), data_title="Deals", headers=["Name"], rows=0, app_ids=["a.com", "b.com"]
    )
    assert layout.rows == [
        (1, [(0, 'Check of sheet "Deals": No problems found in 0 rows.')]),
        (2, [(0, INTRO)]),
        (5, [*enumerate(CHECK_COLUMNS), (10, "Known App IDs")]),
        (6, [(10, "a.com")]),
        (7, [(10, "b.com")]),
    ]
    assert (layout.last_row, layout.known_rows) == (7, (6, 7))
    assert known_source(2) == "'App Link Check'!$K$6:$K$7"
