"""The header row and the Name column through the command line: exit codes, exact output, and
the rows of the CSV for Cloze."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.cli_run import printed
from tests.cli_run import run_applinks as run

BOM = "\ufeff"
LINK = "zillow.com,10001,Zillow,https://www.zillow.com/homedetails/10001_zpid/"


def _write(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_bytes(((BOM if bom else "") + text).encode("utf-8"))
    return path


def _rows(path: Path) -> list[str]:
    data = path.read_bytes().decode("utf-8")
    assert data.startswith(BOM) and data.endswith("\r\n")
    return data[1:].split("\r\n")[:-1]


def test_export_starts_at_the_header_and_names_the_title_rows(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "listings.csv",
        "Listings, November\r\n\r\nName,App ID,App Unique ID,App Name,App Content URL,Email\r\n"
        f"12 Elm St,{LINK},ana@example.com\r\n14 Oak St,,,,,bo@example.com\r\n",
    )
    out = tmp_path / "out.csv"
    assert printed("export", str(source), "-o", str(out)) == (
        "   row  column  severity  code                  message\n"
        "     3  Name    warning   header-not-first-row  The headers are in row 3, not row 1; "
        "row 1 above them is not written to the CSV for Cloze, which starts at the headers.\n"
        "0 errors, 1 warning in 2 rows.\n"
        f"Wrote {out} (2 rows).\n"
    )
    assert _rows(out) == [
        "Name,App ID,App Unique ID,App Name,App Content URL,Email",
        f"12 Elm St,{LINK},ana@example.com",
        "14 Oak St,,,,,bo@example.com",
    ]


def test_a_data_row_of_header_words_keeps_every_row(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for row in [
        ["Name", "Address", "Email"],
        ["12 Elm St", "12 Elm St, Boston", "ana@example.com"],
        ["#NAME", "Name", "bo@example.com"],
        ["14 Oak St", "14 Oak St, Boston", "cy@example.com"],
    ]:
        sheet.append(row)
    book.save(tmp_path / "deals.xlsx")
    out = tmp_path / "out.csv"
    assert printed("export", str(tmp_path / "deals.xlsx"), "-o", str(out)) == (
        f"No problems found in 3 rows.\nWrote {out} (3 rows).\n"
    )
    assert _rows(out) == [
        "Name,Address,Email",
        '12 Elm St,"12 Elm St, Boston",ana@example.com',
        "#NAME,Name,bo@example.com",
        '14 Oak St,"14 Oak St, Boston",cy@example.com',
    ]


def test_separator_line_is_honoured_and_not_written(tmp_path: Path) -> None:
    link = LINK.replace(",", ";")
    source = _write(
        tmp_path / "excel.csv",
        "sep=;\r\nName;App ID;App Unique ID;App Name;App Content URL\r\n"
        f"12 Elm St;{link}\r\n14 Oak St;{link.replace('10001', '10002')}\r\n",
        bom=True,
    )
    out = tmp_path / "out.csv"
    result = run("export", str(source), "-o", str(out))
    assert (result.returncode, result.stdout) == (
        0,
        f"No problems found in 2 rows.\nWrote {out} (2 rows).\n",
    )
    assert result.stderr == (
        'Note: "excel.csv" starts with a "sep=" line, which says its values are separated by '
        '";"; they are read that way, and that line is not written.\n'
    )
    assert _rows(out) == [
        "Name,App ID,App Unique ID,App Name,App Content URL",
        f"12 Elm St,{LINK}",
        f"14 Oak St,{LINK.replace('10001', '10002')}",
    ]


NO_NAME = (
    "Deal,Street,Email\r\nSmith deal,12 Elm St,ana@example.com\r\nJones deal,,bo@example.com\r\n"
)


@pytest.mark.parametrize(
    ("text", "options", "code", "issues"),
    [
        (
            NO_NAME,
            [],
            1,
            [
                (
                    1,
                    "Name",
                    "name-column-missing",
                    "error",
                    "The sheet has no Name column; Cloze needs a name for every Project or Deal. "
                    'Add a column headed "Name", or say which column holds the names '
                    "(--name-column).",
                )
            ],
        ),
        (
            NO_NAME,
            ["--name-column", "street"],
            1,
            [
                (
                    3,
                    "Street",
                    "name-missing",
                    "error",
                    "Row 3: the row has no Name; Cloze needs a name for every Project or Deal.",
                )
            ],
        ),
        (NO_NAME, ["--name-column", "Deal"], 0, []),
        (
            NO_NAME.replace("Deal,", "Deal Name,", 1),
            [],
            0,
            [
                (
                    1,
                    "Deal Name",
                    "header-name-alias",
                    "warning",
                    'Column "Deal Name" is taken as the Name column and written as "Name" in the '
                    "CSV for Cloze; rename it in the sheet too, or say which column holds the "
                    "names (--name-column).",
                )
            ],
        ),
        (
            NO_NAME.replace("Deal,", "Deal Name,", 1),
            ["--name-column", "Deal Name"],
            0,
            [],
        ),
        (
            "AppID,name,App Unique ID,App Name,App URL\r\n"
            "zillow.com,12 Elm St,10001,Zillow,https://www.zillow.com/homedetails/10001_zpid/\r\n",
            [],
            0,
            [
                (
                    1,
                    header,
                    "header-near-miss",
                    "warning",
                    f'Column "{header}" is written as the Cloze header "{cloze}" in the CSV for '
                    "Cloze; rename it in the sheet too so the two agree.",
                )
                for header, cloze in [
                    ("AppID", "App ID"),
                    ("name", "Name"),
                    ("App URL", "App Content URL"),
                ]
            ],
        ),
    ],
    ids=["no-name-column", "name-column", "name-column-full", "alias", "alias-named", "variants"],
)
def test_check_name_column(
    tmp_path: Path, text: str, options: list[str], code: int, issues: list[tuple[object, ...]]
) -> None:
    source = _write(tmp_path / "deals.csv", text)
    result = run("check", str(source), "--format", "json", *options)
    assert (result.returncode, result.stderr) == (code, "")
    keys = ("row", "column", "code", "severity", "message")
    assert [tuple(r[k] for k in keys) for r in json.loads(result.stdout)] == issues


@pytest.mark.parametrize("command", ["check", "export", "prepare"])
def test_unknown_name_column_is_a_usage_error(tmp_path: Path, command: str) -> None:
    source = _write(tmp_path / "deals.csv", NO_NAME)
    result = run(command, str(source), "--name-column", "Title")
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        'There is no column "Title" for the names; the columns are "Deal", "Street", "Email".\n',
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deals.csv"]


def test_export_without_a_name_column_is_refused_once(tmp_path: Path) -> None:
    source = _write(tmp_path / "deals.csv", NO_NAME)
    result = run("export", str(source))
    assert result.returncode == 1
    assert result.stdout.splitlines()[1:] == [
        "     1  Name    error     name-column-missing  The sheet has no Name column; Cloze needs "
        'a name for every Project or Deal. Add a column headed "Name", or say which column holds '
        "the names (--name-column).",
        "1 error, 0 warnings in 2 rows.",
    ]
    named = run("export", str(source), "--name-column", "Deal")
    assert (named.returncode, named.stderr) == (0, "")
    # The column named with --name-column is headed "Name" in the CSV for Cloze.
    assert _rows(tmp_path / "deals - Cloze import.csv") == [
        "Name,Street,Email",
        *NO_NAME.split("\r\n")[1:-1],
    ]
