"""Every record link people paste gives the right App ID and id, on every surface.

The table ``tests/data/links.csv`` holds real-looking links of every built-in app and link form
(upper-case hosts, ``http://``, trailing slashes, query strings, fragments, Google's ``/u/1/``,
Salesforce sandboxes, international hosts), links that point at no record (short links, maps,
``mailto:``, ``tel:``, ``file:``) and hosts no app claims, each with the App ID, id and App Name
it must give. The same table runs through the library, the CLI (CSV and .xlsx input, the whole
output file compared) and the worksheet functions.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from applinks import operations
from applinks import udfs as plain
from applinks.checks import check
from applinks.domains import not_a_record, not_a_record_message
from applinks.excel import udfs
from applinks.operations import links_from_urls
from applinks.registry import AppEntry, Link, app_id_for_url, load_registry, read_link
from applinks.table import Table
from tests.cli_run import run_applinks as run

DATA = Path(__file__).resolve().parent / "data" / "links.csv"
with DATA.open(encoding="utf-8", newline="") as _handle:
    # (url, App ID, App Unique ID, App Name); an empty App ID: the link gives none.
    LINKS = [
        (r["url"], r["app_id"], r["unique_id"], r["app_name"]) for r in csv.DictReader(_handle)
    ]

# What the links that point at no record are, in the table's words.
NOT_RECORDS = {
    "https://bit.ly/3xYzAbC": "a short link",
    "http://BIT.LY/3xYzAbC": "a short link",
    "https://goo.gl/AbCdEf": "a short link",
    "https://tinyurl.com/2p8x9k4z": "a short link",
    "https://t.co/AbCdEf1234": "a short link",
    "https://lnkd.in/eAbCdEf": "a short link",
    "https://goo.gl/maps/AbCdEf12345": "a map",
    "https://maps.app.goo.gl/AbCdEf12345": "a map",
    "https://www.google.com/maps/place/123+Main+St,+Boston,+MA+02108/@42.35,-71.06,17z": "a map",
    "https://maps.google.com/?q=123+Main+St+Boston+MA": "a map",
    "https://www.google.co.uk/maps/@51.5,-0.12,14z": "a map",
    "https://maps.apple.com/?address=123%20Main%20St,%20Boston,%20MA&ll=42.35,-71.06": "a map",
    "https://www.bing.com/maps?q=123+Main+St+Boston": "a map",
    "mailto:jo@acme-homes.com": "an email address",
    "MAILTO:jo@acme-homes.com?subject=Listing": "an email address",
    "tel:+16175551234": "a phone number",
    "file:///C:/Users/jo/Documents/Listing.xlsx": "a file on a computer",
}


def test_the_table_is_large_and_covers_every_app_with_link_forms() -> None:
    assert len(LINKS) >= 150
    assert len({url for url, *_ in LINKS}) == len(LINKS)
    with_forms = {e.name for e in load_registry().apps if e.url_patterns}
    with_an_id = {name for _, _, uid, name in LINKS if uid}
    assert with_forms <= with_an_id
    assert {url for url, app_id, *_ in LINKS if not app_id and url != "not a link"} == set(
        NOT_RECORDS
    )


@pytest.mark.parametrize(("url", "app_id", "unique_id", "name"), LINKS, ids=[c[0] for c in LINKS])
def test_library_reads_each_link(url: str, app_id: str, unique_id: str, name: str) -> None:
    what = NOT_RECORDS.get(url, "")
    assert read_link(url) == Link(app_id, unique_id, name, what)
    assert not_a_record(url) == (what or None)
    assert app_id_for_url(url) == (app_id or None)


@pytest.mark.parametrize(("url", "app_id", "unique_id", "name"), LINKS, ids=[c[0] for c in LINKS])
def test_worksheet_functions_read_each_link(
    url: str, app_id: str, unique_id: str, name: str
) -> None:
    if url in NOT_RECORDS:
        sentence = "#" + not_a_record_message(url, NOT_RECORDS[url])
        assert (plain.APPLINK_APPID(url), plain.APPLINK_ID(url)) == (sentence, sentence)
    else:
        assert (plain.APPLINK_APPID(url), plain.APPLINK_ID(url)) == (app_id, unique_id)
    if app_id and unique_id:
        # Naming the App ID gives the same id (google.com still reads a Drive link).
        assert plain.APPLINK_ID(url, app_id) == unique_id


def test_worksheet_functions_take_the_whole_column_in_one_call() -> None:
    column = [[url] for url, *_ in LINKS]
    assert udfs.APPLINK_APPID(column) == [[plain.APPLINK_APPID(url)] for url, *_ in LINKS]
    assert udfs.APPLINK_ID(column) == [[plain.APPLINK_ID(url)] for url, *_ in LINKS]


def test_not_record_sentence() -> None:
    assert plain.APPLINK_APPID("https://bit.ly/3xYzAbC") == (
        '#"https://bit.ly/3xYzAbC" is a short link, not a link to a record; paste the link of '
        "the record itself (open the record in its app and copy the address from the browser)."
    )


def expected_rows() -> list[list[str]]:
    """Return the whole output: Name, the link, then App ID, Unique ID, Name, Content URL."""
    rows = []
    for number, (url, app_id, unique_id, name) in enumerate(LINKS, start=1):
        content = url if app_id else ""
        rows.append([f"Deal {number}", url, app_id, unique_id, name, content])
    return rows


HEADERS = ["Name", "Listing URL", "App ID", "App Unique ID", "App Name", "App Content URL"]


def test_links_from_urls_fills_every_row() -> None:
    table = Table(
        ["Name", "Listing URL"], [[f"Deal {n}", url] for n, (url, *_) in enumerate(LINKS, 1)]
    )
    result = links_from_urls(table, url_column="Listing URL")
    assert result.table.headers == HEADERS
    assert [[c or "" for c in row] for row in result.table.rows] == expected_rows()
    assert (result.filled_rows, result.not_records) == (
        sum(1 for _, _, unique_id, *_ in LINKS if unique_id),  # a link with no id: not filled
        len(NOT_RECORDS),
    )


def test_each_distinct_link_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counted(url: str, *args: object, **kwargs: object) -> Link:
        calls.append(url)
        return read_link(url, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(operations, "read_link", counted)
    urls = [url for url, *_ in LINKS] * 20
    table = Table(["Name", "Listing URL"], [[f"Deal {n}", url] for n, url in enumerate(urls)])
    result = links_from_urls(table, url_column="Listing URL")
    assert result.filled_rows == 20 * sum(1 for _, _, unique_id, *_ in LINKS if unique_id)
    assert sorted(calls) == sorted({url for url, *_ in LINKS if url.strip()})


def summary() -> str:
    filled = sum(1 for _, _, unique_id, *_ in LINKS if unique_id)
    return (
        f'Filled App Links on {filled} rows (ids from "Listing URL"); {len(NOT_RECORDS)} links '
        "are not links to a record (a short link, a map, an email address or a phone number), "
        "so their rows were left without an App ID: paste the link of the record itself, "
        "copied from the browser with the record open."
    )


def expected_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(expected_rows())
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def not_filled() -> str:
    """What fill says of each row it could not fill: a link without a record id, no link."""
    lines = []
    for row, (url, app_id, unique_id, _) in enumerate(LINKS, start=2):
        if not url.strip():
            continue
        shown = url if len(url) <= 80 else url[:79] + "\u2026"  # a message shows 80 at most
        if not app_id:
            what = not_a_record(url) or "not a web address"
            lines.append(
                f'Row {row}: "{shown}" is not the link of a record ({what}), so the row was left '
                "without an App ID; paste the link of the record itself, copied from the browser "
                "with the record open.\n"
            )
        elif not unique_id:
            lines.append(
                f'Row {row}: no record id was found in the link "{shown}", so the App Unique ID '
                "was left empty; paste the link of the record itself, copied from the browser "
                "with the record open.\n"
            )
    return "".join(lines)


def test_cli_fill_from_url_on_a_csv(tmp_path: Path) -> None:
    source = tmp_path / "links.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["Name", "Listing URL"])
        writer.writerows([f"Deal {n}", url] for n, (url, *_) in enumerate(LINKS, start=1))
    out = tmp_path / "out.csv"
    result = run("fill", str(source), "--from-url", "Listing URL", "-o", str(out))
    assert (result.returncode, result.stderr) == (0, not_filled())
    assert result.stdout == f"{summary()} Wrote {out}.\n"
    assert out.read_bytes() == expected_csv()


def test_cli_fill_from_url_on_a_workbook(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Listing URL"])
    for number, (url, *_) in enumerate(LINKS, start=1):
        sheet.append([f"Deal {number}", url])
    source = tmp_path / "links.xlsx"
    book.save(source)
    out = tmp_path / "out.csv"
    result = run("fill", str(source), "--from-url", "Listing URL", "-o", str(out))
    assert (result.returncode, result.stderr) == (0, not_filled())
    assert result.stdout == f"{summary()} Wrote {out}.\n"
    assert out.read_bytes() == expected_csv()


# --- apps that share an App ID, settings, hosts -------------------------------------------------


def test_google_products_share_their_app_id() -> None:
    registry = load_registry()
    google = registry.get("google.com")
    assert google is not None and google.name == "Google Sheets"
    assert [h for h in google.hosts] == [
        "docs.google.com",
        "sheets.google.com",
        "slides.google.com",
        "forms.google.com",
        "drive.google.com",
    ]
    assert registry.app_ids().count("google.com") == 1
    # A Drive link under App ID google.com belongs to it: no url-app-mismatch.
    table = Table(
        ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"],
        [
            [
                "Offer",
                "google.com",
                "1yqZtxX3YYpVOkqzvukg4-hGA6cwac5oJ",
                "Google Drive",
                "https://drive.google.com/file/d/1yqZtxX3YYpVOkqzvukg4-hGA6cwac5oJ/view",
            ]
        ],
    )
    assert [i.code for i in check(table, registry=registry)] == []


def test_an_override_of_a_shared_app_id_changes_each_app() -> None:
    registry = load_registry()
    mine = AppEntry(app_id="google.com", name="", kinds={"record": "https://g.example/{id}"})
    changed = registry.with_overrides([mine])
    google = [e for e in changed.apps if e.app_id == "google.com"]
    assert [(e.name, dict(e.kinds)) for e in google] == [
        (name, {"record": "https://g.example/{id}"})
        for name in (
            "Google Sheets",
            "Google Docs",
            "Google Slides",
            "Google Forms",
            "Google Drive",
        )
    ]
    assert len(changed.apps) == len(registry.apps)


@pytest.mark.parametrize(
    ("settings", "kind", "expected"),
    [
        ({"portal_id": "7"}, None, "https://app.hubspot.com/contacts/7/record/0-3/42"),
        (
            {"portal_id": "7", "host": "app-eu1.hubspot.com"},
            None,
            "https://app-eu1.hubspot.com/contacts/7/record/0-3/42",
        ),
        ({"portal_id": "7"}, "contact", "https://app.hubspot.com/contacts/7/record/0-1/42"),
        ({"portal_id": "7"}, "company", "https://app.hubspot.com/contacts/7/record/0-2/42"),
        ({"portal_id": "7"}, "deal_old", "https://app.hubspot.com/contacts/7/deal/42"),
    ],
    ids=["deal-default", "eu-host", "contact", "company", "old-deal"],
)
def test_hubspot_links(settings: dict[str, str], kind: str | None, expected: str) -> None:
    entry = load_registry().get("hubspot.com")
    assert entry is not None
    assert entry.render_url("42", settings=settings, kind=kind) == expected


def test_asana_default_link_needs_no_project() -> None:
    entry = load_registry().get("asana.com")
    assert entry is not None
    assert entry.render_url("1209876543210987") == "https://app.asana.com/0/0/1209876543210987"


def test_monday_items_on_several_boards_keep_their_own_links() -> None:
    links = [
        "https://acme.monday.com/boards/3456789012/pulses/4567890123",
        "https://acme.monday.com/boards/1111111111/pulses/4567890124",
    ]
    table = Table(["Name", "Item link"], [["A", links[0]], ["B", links[1]]])
    result = links_from_urls(table, url_column="Item link")
    assert [row[2:] for row in result.table.rows] == [
        ["monday.com", "4567890123", "monday.com", links[0]],
        ["monday.com", "4567890124", "monday.com", links[1]],
    ]


def test_readme_example_and_app_count_hold() -> None:
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = re.search(r"`(https://\S+)` gives App ID\s+`([a-z.]+)` and id `(\w+)`", readme)
    assert example is not None
    url, app_id, unique_id = example.groups()
    assert (read_link(url).app_id, read_link(url).unique_id) == (app_id, unique_id)
    assert f"({len(load_registry().apps)} built in," in readme


def test_apps_command_lists_forms_sources_id_pattern_and_status() -> None:
    import json

    result = run("apps", "--format", "json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [(r["app_id"], r["name"]) for r in records] == [
        (e.app_id, e.name) for e in load_registry().apps
    ]
    box = next(r for r in records if r["name"] == "Box")
    source = "https://developer.box.com/platform/appendix/locating-values/"
    assert box == {
        "app_id": "box.com",
        "name": "Box",
        "template": "https://app.box.com/file/{id}",
        "status": "confirmed",
        "id_pattern": "^\\d+$",
        "links": [
            {"form": "https://app.box.com/file/{id}", "source": source},
            {"form": "https://app.box.com/folder/{id}", "source": source},
            {"form": "https://{company}.app.box.com/files/{id}", "source": source},
        ],
    }
    table = run("apps").stdout.splitlines()
    start = next(i for i, line in enumerate(table) if line.startswith("box.com "))
    assert [line.split() for line in table[start : start + 5]] == [
        ["box.com", "Box", "https://app.box.com/file/{id}", "[confirmed]"],
        ["reads", "https://app.box.com/file/{id}", f"({source})"],
        ["reads", "https://app.box.com/folder/{id}", f"({source})"],
        ["reads", "https://{company}.app.box.com/files/{id}", f"({source})"],
        ["id", "^\\d+$"],
    ]
    clickup = next(line for line in table if line.startswith("clickup.com "))
    assert clickup.endswith("https://app.clickup.com/t/{id}  [unconfirmed]")
