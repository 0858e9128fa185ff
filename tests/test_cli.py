"""The command line as a user runs it: exit codes, exact output, files written or not."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from applinks.cli import main
from tests.cli_run import printed
from tests.cli_run import run_applinks as run
from tests.load_module import load_module

TESTS = Path(__file__).parent
DATA, GOLDEN = TESTS / "data", TESTS / "golden"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_book(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Listings"
    sheet.append(["Name", "Zip", "Zillow ID", "Price", "Listed", "Agent Email", "Notes"])
    sheet.append(
        [
            "Café Olé Lofts",
            "02108",
            59187422,
            1250000,
            dt.date(2026, 9, 14),
            "ana@example.com",
            "Vendeuse pressée",
        ]
    )
    sheet.append(
        [
            "Ñandú House",
            "00501",
            2071534988,
            689000.5,
            dt.date(2026, 10, 2),
            None,
            'He said "yes", then no',
        ]
    )
    sheet.append(
        [
            "Überblick 7",
            "04101",
            81442019,
            455500,
            dt.datetime(2026, 6, 30, 9, 5),
            None,
            "Line one\nline two",
        ]
    )
    workbook.save(path)
    return path


def test_prepare_links_every_row_and_keeps_every_cell(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    before = digest(book)
    out = tmp_path / "out.csv"
    assert printed(
        "prepare", str(book), "--app", "zillow.com", "--id-column", "Zillow ID", "-o", str(out)
    ) == (
        'book.xlsx, sheet "Listings": 3 rows\n'
        'Filled App Links on 3 rows (ids from "Zillow ID").\n'
        "No problems found in 3 rows.\n"
        f"Wrote {out} (3 rows).\n"
    )
    assert out.read_bytes() == (GOLDEN / "prepare-zillow.csv").read_bytes()
    assert digest(book) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "out.csv"]


def test_prepare_refuses_on_errors_unless_allowed(tmp_path: Path) -> None:
    source = tmp_path / "defects.csv"
    source.write_bytes((DATA / "defects.csv").read_bytes())
    result = run("prepare", str(source))
    assert result.returncode == 1
    assert result.stderr == (
        "Not written: fix the errors above first, or use --allow-errors to "
        "write defects - Cloze import.csv anyway.\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["defects.csv"]
    allowed = run("prepare", str(source), "--allow-errors")
    assert allowed.returncode == 1
    assert (tmp_path / "defects - Cloze import.csv").exists()
    again = run("prepare", str(source), "--allow-errors")
    assert again.returncode == 2
    assert again.stderr == (
        '"defects - Cloze import.csv" already exists; use --force to replace '
        "it, or choose another name.\n"
    )


def test_check_exit_codes_and_formats(tmp_path: Path) -> None:
    clean = run("check", str(DATA / "clean.csv"))
    assert (clean.returncode, clean.stdout) == (
        0,
        "clean.csv: 6 rows, read as UTF-8\nNo problems found in 6 rows.\n",
    )
    bad = run("check", str(DATA / "defects.csv"), "--format", "json")
    assert bad.returncode == 1
    records = json.loads(bad.stdout)
    assert list(records[0]) == [
        "row",
        "column",
        "code",
        "severity",
        "message",
        "value",
        "suggestion",
    ]
    assert [(r["row"], r["code"]) for r in records][:3] == [
        (2, "app-id-not-domain"),
        (3, "app-id-not-lowercase"),
        (3, "app-id-inconsistent"),
    ]
    report = tmp_path / "report.csv"
    as_csv = run("check", str(DATA / "defects.csv"), "--format", "csv", "--report", str(report))
    assert as_csv.returncode == 1
    written = report.read_bytes().decode("utf-8")
    assert written.count("\r\n") == len(records) + 1  # CRLF line ends, one line per issue
    assert written.replace("\r\n", "\n") == as_csv.stdout
    assert as_csv.stdout.splitlines()[0] == "row,column,code,severity,message,value,suggestion"


def test_check_table_output_is_readable() -> None:
    result = CliRunner().invoke(main, ["check", str(DATA / "codes" / "header-duplicate.csv")])
    assert result.exit_code == 1
    assert result.output == (
        "header-duplicate.csv: 1 row, read as UTF-8\n"
        "   row  column  severity  code              message\n"
        '     1  Name    error     header-duplicate  Two columns are headed "Name" (columns A and '
        "F); rename or remove one, since Cloze would read only one of them.\n"
        "1 error, 0 warnings in 1 row.\n"
    )


def test_the_table_shows_200_issues_then_how_many_more(tmp_path: Path) -> None:
    book = tmp_path / "many.csv"
    book.write_text("Name,Email\n" + ",x@example.com\n" * 203, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(book)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    missing = "error     name-missing  Row {}: the row has no Name; Cloze needs a name for every "
    assert lines[:3] == [
        "many.csv: 203 rows, read as UTF-8",
        "   row  column  severity  code          message",
        "     2  Name    " + missing.format(2) + "Project or Deal.",
    ]
    assert lines[201:] == [
        "   201  Name    " + missing.format(201) + "Project or Deal.",
        "... and 3 more; use --report PATH to get them all.",
        "203 errors, 0 warnings in 203 rows.",
    ]
    assert len(lines) == 204


def test_fill_from_url(tmp_path: Path) -> None:
    source = tmp_path / "links.csv"
    source.write_text(
        "Name,Listing URL\r\n"
        "A,https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view\r\n"
        "B,https://www.zillow.com/homedetails/12-Main-St-Boston-MA-02108/59187422_zpid/\r\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = run("fill", str(source), "--from-url", "Listing URL", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "Name,Listing URL,App ID,App Unique ID,App Name,App Content URL",
        "A,https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view,"
        "salesforce.com,006j000000Pkp1dAAA,Salesforce,"
        "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view",
        "B,https://www.zillow.com/homedetails/12-Main-St-Boston-MA-02108/59187422_zpid/,"
        "zillow.com,59187422,Zillow,"
        "https://www.zillow.com/homedetails/12-Main-St-Boston-MA-02108/59187422_zpid/",
    ]


def test_insert_and_export(tmp_path: Path) -> None:
    book = make_book(tmp_path / "book.xlsx")
    out = tmp_path / "inserted.csv"
    inserted = run("insert", str(book), "-o", str(out))
    assert inserted.returncode == 0
    assert inserted.stdout == (
        f"Added columns: App ID, App Unique ID, App Name, App Content URL. Wrote {out}.\n"
    )
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == (
        "Name,Zip,Zillow ID,Price,Listed,Agent Email,Notes,App ID,App Unique ID,App Name,"
        "App Content URL"
    )
    exported = run("export", str(DATA / "clean.csv"), "-o", str(tmp_path / "clean-out.csv"))
    assert exported.returncode == 0
    assert (tmp_path / "clean-out.csv").read_bytes() == (
        b"\xef\xbb\xbf" + (DATA / "clean.csv").read_bytes()
    )


def test_email_draft(tmp_path: Path) -> None:
    csv_path = tmp_path / "deals.csv"
    csv_path.write_bytes((DATA / "clean.csv").read_bytes())
    result = run("email-draft", str(csv_path), "--no-open")
    assert result.returncode == 0
    draft = (tmp_path / "deals.eml").read_bytes()
    import email
    from email import policy

    message = email.message_from_bytes(draft, policy=policy.default)
    assert message["To"] == "support@cloze.com"
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == "Import with App Links: deals.csv"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "deals.csv"
    assert attachment.get_payload(decode=True) == csv_path.read_bytes()


def test_email_draft_takes_only_a_csv(tmp_path: Path) -> None:
    book = tmp_path / "deals.xlsx"
    Workbook().save(book)
    renamed = tmp_path / "renamed.csv"
    renamed.write_bytes(book.read_bytes())
    for path in (book, renamed):
        result = run("email-draft", str(path), "--no-open")
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == (
            f'"{path.name}" is not a CSV file; run "applinks export" (or "applinks prepare") on '
            "it first and email the CSV for Cloze that it writes.\n"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deals.xlsx", "renamed.csv"]


def test_email_draft_refuses_a_csv_with_errors_unless_allowed(tmp_path: Path) -> None:
    source = tmp_path / "deals.csv"
    source.write_text(
        "Name,App ID,App Unique ID,App Name,App Content URL\r\n"
        ",zillow.com,59187422,Zillow,https://www.zillow.com/homedetails/59187422_zpid/\r\n",
        encoding="utf-8",
    )
    refused = run("email-draft", str(source), "--no-open")
    assert refused.returncode == 1
    assert refused.stdout == (
        "   row  column  severity  code          message\n"
        "     2  Name    error     name-missing  Row 2: the row has no Name; Cloze needs a name "
        "for every Project or Deal.\n"
        "1 error, 0 warnings in 1 row.\n"
    )
    assert refused.stderr == (
        "Not drafted: deals.csv still has 1 error; fix them and export it again, or use "
        "--allow-errors to email it anyway.\n"
    )
    assert not (tmp_path / "deals.eml").exists()
    allowed = run("email-draft", str(source), "--no-open", "--allow-errors")
    assert allowed.returncode == 0
    assert allowed.stdout.endswith(f"Wrote the email draft {tmp_path / 'deals.eml'}.\n")
    assert (tmp_path / "deals.eml").exists()


def test_email_draft_counts_the_records_the_csv_reader_finds(tmp_path: Path) -> None:
    """A value on two lines is one record: the body says 2 rows, not 3 (SMTP line ends)."""
    source = tmp_path / "deals.csv"
    link = "zillow.com,{0},Zillow,https://www.zillow.com/homedetails/{0}_zpid/"
    source.write_text(
        "Name,App ID,App Unique ID,App Name,App Content URL,Notes\r\n"
        f'Deal 2,{link.format(20002)},"two\r\nlines"\r\nDeal 3,{link.format(20003)},ok\r\n',
        encoding="utf-8",
    )
    assert printed("email-draft", str(source), "--no-open") == (
        f"Wrote the email draft {tmp_path / 'deals.eml'}.\n"
    )
    import email
    from email import policy

    message = email.message_from_bytes((tmp_path / "deals.eml").read_bytes(), policy=policy.default)
    body = message.get_body()
    assert body is not None
    assert body.get_content().replace("\r\n", "\n") == (
        "Hello Cloze support,\n\nPlease import the attached file (2 rows) into my Cloze account. "
        "It contains Projects/Deals with App Links (columns App ID, App Unique ID, App Name and "
        "App Content URL).\n\nThank you.\n"
    )


def test_demo_runs_and_exits_zero(tmp_path: Path) -> None:
    result = run("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "4 errors, 3 warnings in 12 rows." in result.stdout
    assert sorted(p.name for p in (tmp_path / "applinks-demo").iterdir()) == [
        "check-report.csv",
        "example-properties - Cloze import.csv",
        "example-properties.xlsx",
    ]


def test_apps_lists_the_registry() -> None:
    result = CliRunner().invoke(main, ["apps", "--format", "json"])
    apps = json.loads(result.output)
    assert result.exit_code == 0
    assert len(apps) >= 25
    assert {"app_id": "zillow.com", "name": "Zillow"}.items() <= next(
        a for a in apps if a["app_id"] == "zillow.com"
    ).items()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("missing.xlsx", None, 'Cannot find "{path}"; check the file name and folder.'),
        ("empty.xlsx", b"", '"empty.xlsx" is empty (0 bytes); export or save it again.'),
        (
            "truncated.xlsx",
            "half",
            '"truncated.xlsx" is damaged or incomplete and cannot be '
            "opened as a workbook; download or export it again.",
        ),
        (
            "page.xlsx",
            b"<html><body>Export</body></html>",
            '"page.xlsx" is a web page saved with a spreadsheet name, so it cannot be read as a '
            "workbook; open it in Excel and save it as an Excel workbook (.xlsx), then try again.",
        ),
        (
            "noise.xlsx",
            bytes(range(256)),
            '"noise.xlsx" is not an Excel workbook (its contents '
            "are not in any Excel format); open it in Excel and save it as .xlsx, or export it "
            "again.",
        ),
    ],
    ids=["missing", "empty", "truncated-zip", "html", "random-bytes"],
)
@pytest.mark.parametrize("command", ["check", "prepare", "export", "insert"])
def test_unreadable_input_is_one_sentence_exit_2_nothing_written(
    tmp_path: Path, name: str, data: bytes | str | None, message: str, command: str
) -> None:
    path = tmp_path / name
    if data == "half":
        book = make_book(tmp_path / "whole.xlsx")
        data = book.read_bytes()[:2000]
        book.unlink()
    if isinstance(data, bytes):
        path.write_bytes(data)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run(command, str(path))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == message.format(path=path) + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run("--debug", "check", str(tmp_path / "missing.csv"))
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "InputError" in result.stderr


def test_usage_errors_exit_2() -> None:
    no_app = run("fill", str(DATA / "clean.csv"))
    assert (no_app.returncode, no_app.stderr) == (
        2,
        (
            "Say which app the ids come from with --app (e.g. --app zillow.com), or give a column "
            "of record links with --from-url.\n"
        ),
    )
    unknown_flag = run("check", "--nope")
    assert unknown_flag.returncode == 2
    assert "No such option '--nope'" in unknown_flag.stderr


def test_fill_from_url_recovers_every_registry_app_link(tmp_path: Path) -> None:
    """The CLI path of From URLs over every real-looking link of the registry tests."""
    import csv

    cases = load_module(TESTS / "test_from_url.py", "from_url_cases")
    LINKS = cases.LINKS  # noqa: N806 - the shared table of real-looking links

    source = tmp_path / "links.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["Name", "Record link"])
        writer.writerows([f"Deal {n}", link] for n, (link, *_rest) in enumerate(LINKS))
    out = tmp_path / "out.csv"
    result = run("fill", str(source), "--from-url", "Record link", "-o", str(out))
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [
        "Name",
        "Record link",
        "App ID",
        "App Unique ID",
        "App Name",
        "App Content URL",
    ]
    assert [(r[2], r[3], r[5]) for r in rows[1:]] == [
        (app, uid, link) for link, app, uid, _ in LINKS
    ]
    assert len({app for _, app, _, _ in LINKS}) >= 15


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_report_files_match_golden(tmp_path: Path, suffix: str) -> None:
    report = tmp_path / f"report.{suffix}"
    result = run("check", str(DATA / "defects.csv"), "--report", str(report))
    assert result.returncode == 1
    assert report.read_bytes() == (GOLDEN / f"defects-report.{suffix}").read_bytes()
