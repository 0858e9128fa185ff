"""Options through the command line: options that do not go together, the core's typed errors
said in the command line's words, and the option groups each command takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from applinks.cli_messages import cli_message
from applinks.errors import (
    ConflictingOptions,
    CsvHasNoSheets,
    MissingSettings,
    NoColumn,
    NoLinkSource,
    OutputExistsError,
    UnknownApp,
)
from tests.cli_run import printed
from tests.cli_run import run_applinks as run

LINKS = (
    "Name,Listing URL,Listing ID\r\n"
    "A,https://www.zillow.com/homedetails/12-Main-St-Boston-MA-02108/59187422_zpid/,59187422\r\n"
)


def _links(tmp_path: Path) -> Path:
    path = tmp_path / "links.csv"
    path.write_text(LINKS, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["fill", "prepare"])
@pytest.mark.parametrize(
    ("option", "value"),
    [("--id-column", "Listing ID"), ("--kind", "record"), ("--set", "subdomain=acme")],
    ids=["id-column", "kind", "set"],
)
def test_from_url_with_an_option_it_would_ignore_is_a_usage_error(
    tmp_path: Path, command: str, option: str, value: str
) -> None:
    book = _links(tmp_path)
    result = run(command, str(book), "--from-url", "Listing URL", option, value)
    message = (
        f"--from-url cannot be used with {option}: the links in the --from-url column say "
        f"which app and record each row is; leave out {option}.\n"
    )
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["links.csv"]


def test_from_url_with_the_settings_of_a_templates_file_is_fine(tmp_path: Path) -> None:
    """Settings that come with the user's templates are not options given for this run."""
    book = _links(tmp_path)
    templates = tmp_path / "mine.csv"
    templates.write_text(
        "App ID,App Name,URL Template\r\nSetting,Value\r\nsubdomain,acme\r\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    assert printed(
        "fill",
        str(book),
        "--from-url",
        "Listing URL",
        "--templates",
        str(templates),
        "-o",
        str(out),
    ) == (f'Filled App Links on 1 row (ids from "Listing URL"). Wrote {out}.\n')


def test_kept_cells_point_to_overwrite(tmp_path: Path) -> None:
    book = tmp_path / "ids.csv"
    book.write_text("Name,Zillow ID,App Name\r\nA,59187422,Mine\r\nB,81442019,\r\n")
    out = tmp_path / "out.csv"
    assert printed(
        "fill", str(book), "--app", "zillow.com", "--id-column", "Zillow ID", "-o", str(out)
    ) == (
        'Filled App Links on 2 rows (ids from "Zillow ID"); kept 1 cell that already had values '
        f"(use --overwrite to replace them). Wrote {out}.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--app", "nosuch.example"],
            'Unknown app "nosuch.example"; run "applinks apps" to list the known apps, or give '
            "a URL template with --templates.",
        ),
        (
            ["--app", "buildium.com", "--id-column", "Listing ID"],
            'The URL template for Buildium needs the setting "subdomain"; give it as '
            "subdomain=yourcompany (on the command line: --set subdomain=yourcompany).",
        ),
        (
            ["--app", "zillow.com", "--id-column", "Zillow"],
            'There is no column "Zillow"; the columns are "Name", "Listing URL", "Listing ID", '
            '"App ID", "App Unique ID", "App Name", "App Content URL".',
        ),
        (
            ["--app", "zillow.com", "--sheet", "Deals"],
            '"links.csv" is a CSV file, which has no sheets; leave out --sheet.',
        ),
    ],
    ids=["unknown-app", "missing-setting", "no-id-column", "csv-sheet"],
)
def test_typed_errors_in_the_command_lines_words(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = run("fill", str(_links(tmp_path)), *args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message + "\n")


@pytest.mark.parametrize(
    ("error", "library", "said"),
    [
        (
            UnknownApp("nosuch.example"),
            'Unknown app "nosuch.example"; give a URL template for it, or a known App ID.',
            'Unknown app "nosuch.example"; run "applinks apps" to list the known apps, or give '
            "a URL template with --templates.",
        ),
        (
            NoLinkSource(),
            "Say which app the ids come from, or give a column of record links to read them from.",
            "Say which app the ids come from with --app (e.g. --app zillow.com), or give a "
            "column of record links with --from-url.",
        ),
        (
            ConflictingOptions("from_url", "settings"),
            "from_url and settings do not go together: with from_url the links say which app "
            "and record each row is, so settings would be left unused.",
            "--from-url cannot be used with --set: the links in the --from-url column say which "
            "app and record each row is; leave out --set.",
        ),
        (
            MissingSettings(
                ["mydomain", "object"],
                template="https://{mydomain}.lightning.force.com/lightning/r/{object}/{id}/view",
                app_name="Salesforce",
                examples=["mydomain=yourcompany", "object=Opportunity"],
            ),
            'The URL template for Salesforce needs the settings "mydomain" and "object"; give '
            "them as mydomain=yourcompany and object=Opportunity.",
            'The URL template for Salesforce needs the settings "mydomain" and "object"; give '
            "them as mydomain=yourcompany and object=Opportunity (on the command line: "
            "--set mydomain=yourcompany --set object=Opportunity).",
        ),
        (
            NoColumn("Zillow", ["Name", "", "Zip"]),
            'There is no column "Zillow"; the columns are "Name", "Zip".',
            'There is no column "Zillow"; the columns are "Name", "Zip".',
        ),
        (
            OutputExistsError(Path("out") / "deals.csv"),
            '"deals.csv" already exists; choose another name, or let it be replaced (force=True).',
            '"deals.csv" already exists; use --force to replace it, or choose another name.',
        ),
        (
            CsvHasNoSheets("deals.csv"),
            '"deals.csv" is a CSV file, which has no sheets.',
            '"deals.csv" is a CSV file, which has no sheets; leave out --sheet.',
        ),
    ],
    ids=[
        "unknown-app",
        "no-link-source",
        "conflict",
        "missing-settings",
        "no-column",
        "output-exists",
        "csv-sheet",
    ],
)
def test_the_library_says_it_plainly_the_command_line_names_its_options(
    error: Exception, library: str, said: str
) -> None:
    assert (str(error), cli_message(error)) == (library, said)  # type: ignore[arg-type]
