"""Fill on sheets that mix apps: a row's own App ID wins, and every row left unfilled says why."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from applinks.files.read import read_table
from applinks.operations import fill_app_links
from applinks.table import Table
from tests.cli_run import run_applinks as run

MIXED = Path(__file__).parent / "data" / "mixed-apps.csv"
HEADERS = ["Name", "Zillow ID", "App ID", "App Unique ID", "App Name", "App Content URL"]
ZILLOW = "https://www.zillow.com/homedetails/{}_zpid/"
REDFIN = "https://www.redfin.com/MA/Boston/1-Main-St-02108/home/1234567"
FUB = "https://app.followupboss.com/2/people/view/4521"

NOT_ZILLOW = (
    'Row 4: "006j000000Pkp1d" in "Zillow ID" does not have the form of a Zillow id, so the App '
    "Links were not filled; check the id and the app chosen."
)
REALTOR = (
    'Row 6: App ID "realtor.com" is another app than Zillow, and its links cannot be made here '
    "(no link format is known for it), so the row was left as it is; fill it with its own app, "
    "or paste its record link and use From URLs."
)
NOT_FUB = (
    'Row 12: "L-9" in "App Unique ID" does not have the form of a Follow Up Boss id, so the App '
    "Links were not filled; check the id and the app chosen."
)


def no_id(row: int, column: str = "Zillow ID") -> tuple[object, ...]:
    """The ``fill-no-id`` issue of ``row``, which has no id in ``column``, as a tuple."""
    message = (
        f'Row {row}: there is no id in "{column}", so the App Links were not filled; add the '
        "record's id."
    )
    return (row, column, "fill-no-id", "warning", message, "", "")


REPORT = [
    no_id(3),
    (4, "Zillow ID", "fill-id-not-app-format", "warning", NOT_ZILLOW, "006j000000Pkp1d", ""),
    (6, "App ID", "fill-other-app", "warning", REALTOR, "realtor.com", ""),
    no_id(11, "App Unique ID"),
    (12, "App Unique ID", "fill-id-not-app-format", "warning", NOT_FUB, "L-9", ""),
]


def rows_after(overwrite: bool) -> list[list[str | None]]:
    """The sheet after ``fill --app zillow.com --id-column "Zillow ID"``."""
    again = ["48616032", "zillow.com", "48616032", "Zillow", ZILLOW.format(48616032)]
    if not overwrite:  # the chosen app's row keeps its own values
        again = ["48616032", "zillow.com", "11111111", "Zillow", ZILLOW.format(11111111)]
    capitals = "zillow.com" if overwrite else "Zillow.com"
    return [
        ["Elm St", "59187422", "zillow.com", "59187422", "Zillow", ZILLOW.format(59187422)],
        ["Oak St", None, None, None, None, None],
        ["Pine St", "006j000000Pkp1d", None, None, None, None],
        ["Redfin home", None, "redfin.com", "1234567", "Redfin", REDFIN],
        ["Realtor home", None, "realtor.com", "12345-67890", None, None],
        ["Lead", None, "followupboss.com", "4521", "Follow Up Boss", FUB],
        ["Zillow again", *again],
        ["Capitals", "22222222", capitals, "22222222", "Zillow", ZILLOW.format(22222222)],
        [None, None, None, None, None, None],
        ["Other no id", None, "followupboss.com", None, None, None],
        ["Wrong lead", None, "followupboss.com", "L-9", None, None],
        ["Named lead", None, "followupboss.com", "4522", "My leads", FUB.replace("4521", "4522")],
    ]


@pytest.mark.parametrize("overwrite", [False, True], ids=["blanks", "overwrite"])
def test_each_row_is_filled_by_its_own_app(overwrite: bool) -> None:
    """Redfin's row stays a Redfin row even with overwrite; Realtor.com's gets no Zillow name
    or link; Follow Up Boss's are filled from its own format (blank cells only, even with
    overwrite); the blank row says nothing."""
    result = fill_app_links(
        read_table(MIXED), app="zillow.com", id_column="Zillow ID", overwrite=overwrite
    )
    assert result.table.headers == HEADERS
    assert [list(row) for row in result.table.rows] == rows_after(overwrite)
    assert [dataclasses.astuple(i) for i in result.report] == REPORT
    assert (result.filled_rows, result.kept_cells) == (5, 0 if overwrite else 3)


def test_the_issues_redfin_row_survives_overwrite() -> None:
    """A working Redfin row under ``--app zillow.com --overwrite`` is left exactly as it was."""
    rows = [["Home", "redfin.com", "1234567", "Redfin", REDFIN]]
    rows += [["Zillow home", None, "59187422", None, None]]
    result = fill_app_links(
        Table(HEADERS[:1] + HEADERS[2:], rows), app="zillow.com", overwrite=True
    )
    assert [list(row) for row in result.table.rows] == [
        ["Home", "redfin.com", "1234567", "Redfin", REDFIN],
        ["Zillow home", "zillow.com", "59187422", "Zillow", ZILLOW.format(59187422)],
    ]
    assert (result.filled_rows, list(result.report)) == (1, [])


def test_cli_fill_on_a_mixed_sheet(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run(
        "fill", str(MIXED), "--app", "zillow.com", "--id-column", "Zillow ID", "-o", str(out)
    )
    assert result.returncode == 0
    assert result.stderr == "".join(f"{issue[4]}\n" for issue in REPORT)
    assert result.stdout == (
        'Filled App Links on 5 rows (ids from "Zillow ID"); kept 3 cells that already had values '
        f"(use --overwrite to replace them). Wrote {out}.\n"
    )
    with out.open(encoding="utf-8-sig", newline="") as f:
        written = list(csv.reader(f))
    assert written[0] == HEADERS
    blank = [["" if c is None else c for c in row] for row in rows_after(False)]
    assert written[1:] == [row for row in blank if any(row)]


def test_an_id_of_spaces_is_no_id() -> None:
    """Spaces are no id: the row is said to have none, not an id of the wrong form."""
    table = Table(list(HEADERS), [["Oak St", "   ", None, None, None, None]])
    result = fill_app_links(table, app="zillow.com", id_column="Zillow ID")
    assert [dataclasses.astuple(i) for i in result.report] == [no_id(2)]
    assert (result.filled_rows, list(result.table.rows)) == (
        0,
        [["Oak St", "   ", None, None, None, None]],
    )


def test_a_whole_app_link_without_an_id_in_the_id_column_is_no_row_to_fill() -> None:
    """A row already linked needs no id in the id column: only the row with nothing is named."""
    linked = ["Done St", None, "zillow.com", "11111111", "Zillow", ZILLOW.format(11111111)]
    table = Table(
        list(HEADERS),
        [linked, ["New St", "59187422", None, None, None, None], ["Bare St", *[None] * 5]],
    )
    result = fill_app_links(table, app="zillow.com", id_column="Zillow ID")
    assert [dataclasses.astuple(i) for i in result.report] == [no_id(4)]
    assert (result.filled_rows, result.table.rows[0]) == (1, linked)


def test_a_link_without_an_id_keeps_the_rows_own_id_unmentioned() -> None:
    """From a link with no record id, the App Unique ID the row already has is kept, and the
    row is not said to have been left empty."""
    from applinks.operations import LinkSource, fill_links

    search = "https://www.zillow.com/homes/for_sale/"
    headers = ["Name", "Link", "App ID", "App Unique ID", "App Name", "App Content URL"]
    own = ["Own St", search, "zillow.com", "59187422", "Zillow", ZILLOW.format(59187422)]
    table = Table(headers, [["Bare St", search, None, None, None, None], list(own)])
    result = fill_links(table, LinkSource(from_url="Link"))
    message = (
        f'Row 2: no record id was found in the link "{search}", so the App Unique ID was left '
        "empty; paste the link of the record itself, copied from the browser with the record "
        "open."
    )
    assert [dataclasses.astuple(i) for i in result.report] == [
        (2, "Link", "fill-link-no-id", "warning", message, search, "")
    ]
    assert result.table.rows[1] == own
