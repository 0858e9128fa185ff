"""Insert, fill and from-URLs on tables: whole results."""

from __future__ import annotations

import dataclasses

import pytest

from applinks.errors import ConflictingOptions, NoLinkSource, TemplateError, UsageError
from applinks.operations import (
    LinkSource,
    fill_app_links,
    fill_links,
    id_text,
    insert_app_link_columns,
    links_from_urls,
    plan_insert,
    prepare,
)
from applinks.table import Table

LINK = ["App ID", "App Unique ID", "App Name", "App Content URL"]


@pytest.mark.parametrize(
    ("headers", "plan"),
    [
        (
            ["Name", "Zip"],
            [(2, "App ID"), (3, "App Unique ID"), (4, "App Name"), (5, "App Content URL")],
        ),
        (["Name", *LINK], []),
        (
            ["Name", "App ID", "Zip"],
            [(2, "App Unique ID"), (3, "App Name"), (4, "App Content URL")],
        ),
        (
            ["Name", "App Name", "Zip"],
            [(1, "App ID"), (2, "App Unique ID"), (4, "App Content URL")],
        ),
        (["App Content URL", "Name"], [(0, "App ID"), (1, "App Unique ID"), (2, "App Name")]),
        (["Name", "AppID", "Zip"], [(2, "App Unique ID"), (3, "App Name"), (4, "App Content URL")]),
        (
            ["Name", "Zip", "", ""],
            [(2, "App ID"), (3, "App Unique ID"), (4, "App Name"), (5, "App Content URL")],
        ),
    ],
    ids=["none", "all", "app-id-only", "app-name-only", "url-first", "near-miss", "blank-tail"],
)
def test_plan_insert(headers: list[str], plan: list[tuple[int, str]]) -> None:
    assert plan_insert(headers) == plan


def test_insert_keeps_rows_and_is_idempotent() -> None:
    table = Table(["Name", "App Name", "Zip"], [["a", "Zillow", "02108"], ["b"]])
    once = insert_app_link_columns(table)
    assert once.table.headers == [
        "Name",
        "App ID",
        "App Unique ID",
        "App Name",
        "App Content URL",
        "Zip",
    ]
    assert once.table.rows == [["a", None, None, "Zillow", None, "02108"], ["b", None, None]]
    assert once.added == ["App ID", "App Unique ID", "App Content URL"]
    twice = insert_app_link_columns(once.table)
    assert (twice.table.headers, twice.table.rows, twice.added) == (
        once.table.headers,
        once.table.rows,
        [],
    )
    assert table.headers == ["Name", "App Name", "Zip"]  # the input is not changed


def test_insert_moves_the_columns_left_out_with_the_rest() -> None:
    """A column with no header and no value (left out of the CSV) stays that column."""
    table = Table(["Name", "App ID", "", "Notes"], [["a", "zillow.com", None, "n"]])
    table.unused_columns = (2,)
    result = insert_app_link_columns(table).table
    assert result.headers == [
        "Name",
        "App ID",
        "App Unique ID",
        "App Name",
        "App Content URL",
        "",
        "Notes",
    ]
    assert result.rows == [["a", "zillow.com", None, None, None, None, "n"]]
    assert result.unused_columns == (5,)


def test_a_row_whose_id_is_only_spaces_is_not_filled() -> None:
    """SPEC section 2: fill writes the App Link cells of every row that has an id."""
    table = Table(["Name", "Zillow ID"], [["a", "59187422"], ["b", "   "], ["c", ""]])
    result = fill_app_links(table, app="zillow.com", id_column="Zillow ID")
    assert result.table.rows == [
        [
            "a",
            "59187422",
            "zillow.com",
            "59187422",
            "Zillow",
            "https://www.zillow.com/homedetails/59187422_zpid/",
        ],
        ["b", "   ", None, None, None, None],
        ["c", "", None, None, None, None],
    ]
    assert (result.filled_rows, result.kept_cells) == (1, 0)


def test_from_url_reads_a_cells_link_not_its_text() -> None:
    """A cell that shows "View listing" and links to the record: the link is the URL."""
    link = "https://www.zillow.com/homedetails/12-Main-St/59187422_zpid/"
    table = Table(["Name", "Listing"], [["a", "View listing"], ["b", "no link here"]])
    table.links = {"Listing": {0: link}}
    result = links_from_urls(table, url_column="Listing")
    assert result.table.rows == [
        ["a", "View listing", "zillow.com", "59187422", "Zillow", link],
        ["b", "no link here", None, None, None, None],
    ]
    assert result.filled_rows == 1


def test_fill_blank_cells_only_and_overwrite() -> None:
    table = Table(
        ["Name", "Zillow ID", "App ID", "App Unique ID", "App Name", "App Content URL"],
        [
            ["a", 59187422, None, None, None, None],
            ["b", 81442019.0, "zillow.com", None, "My Zillow", None],
            ["c", None, None, None, None, None],
        ],
    )
    result = fill_app_links(table, app="zillow.com", id_column="Zillow ID")
    assert result.table.rows == [
        [
            "a",
            59187422,
            "zillow.com",
            "59187422",
            "Zillow",
            "https://www.zillow.com/homedetails/59187422_zpid/",
        ],
        [
            "b",
            81442019.0,
            "zillow.com",
            "81442019",
            "My Zillow",
            "https://www.zillow.com/homedetails/81442019_zpid/",
        ],
        ["c", None, None, None, None, None],
    ]
    assert (result.filled_rows, result.kept_cells, result.id_column) == (2, 1, "Zillow ID")
    assert result.summary() == (
        'Filled App Links on 2 rows (ids from "Zillow ID"); kept 1 cell that already had values.'
    )
    assert result.summary(how_to_replace="use --overwrite to replace them") == (
        'Filled App Links on 2 rows (ids from "Zillow ID"); kept 1 cell that already had '
        "values (use --overwrite to replace them)."
    )
    replaced = fill_app_links(table, app="Zillow", id_column="zillow id", overwrite=True)
    assert replaced.table.rows[1][4] == "Zillow"
    assert replaced.kept_cells == 0


def test_fill_reports_ids_excel_already_damaged() -> None:
    table = Table(["Name", "Lofty ID"], [["a", 1142886436094613]])
    result = fill_app_links(table, app="lofty.com", id_column="Lofty ID")
    assert [i.key() for i in result.report] == [(2, "Lofty ID", "unique-id-mangled")]
    assert result.table.rows[0][3] == "1142886436094613"


def test_fill_errors() -> None:
    table = Table(["Name", "Id"], [["a", 1]])
    with pytest.raises(UsageError, match='Unknown app "nosuch.example"'):
        fill_app_links(table, app="nosuch.example", id_column="Id")
    with pytest.raises(
        UsageError, match='There is no column "Listing"; the columns are "Name", "Id"'
    ):
        fill_app_links(table, app="zillow.com", id_column="Listing")
    with pytest.raises(TemplateError, match="subdomain"):
        fill_app_links(table, app="buildium.com", id_column="Id")
    done = fill_app_links(table, app="buildium.com", id_column="Id", settings={"subdomain": "acme"})
    assert done.table.rows[0][-1] == (
        "https://acme.managebuilding.com/manager/app/properties/1/summary"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (48616032, "48616032"),
        (48616032.0, "48616032"),
        ("006j000000Pkp1d", "006j000000Pkp1d"),
        ("00123", "00123"),
        (None, ""),
    ],
    ids=str,
)
def test_id_text(value: object, text: str) -> None:
    assert id_text(value) == text  # type: ignore[arg-type]


def test_links_from_urls() -> None:
    table = Table(
        ["Name", "Listing URL"],
        [
            [
                "a",
                "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view",
            ],
            ["b", "https://www.zillow.com/homedetails/12-Main-St-Boston-MA-02108/59187422_zpid/"],
            ["c", "https://listings.mybrokerage.co.uk/homes/42"],
            ["d", None],
        ],
    )
    result = links_from_urls(table, url_column="Listing URL")
    assert [r[2:] for r in result.table.rows] == [
        [
            "salesforce.com",
            "006j000000Pkp1dAAA",
            "Salesforce",
            "https://acme.lightning.force.com/lightning/r/Opportunity/006j000000Pkp1dAAA/view",
        ],
        [
            "zillow.com",
            "59187422",
            "Zillow",
            "https://www.zillow.com/homedetails/12-Main-St-Boston-MA-02108/59187422_zpid/",
        ],
        ["mybrokerage.co.uk", None, None, "https://listings.mybrokerage.co.uk/homes/42"],
        [None, None, None, None],
    ]
    assert result.filled_rows == 2  # the link with no record id filled no App Link


def test_prepare_combines_fill_and_check() -> None:
    table = Table(["Name", "Zillow ID"], [["a", 59187422], ["b", 59187422]])
    result = prepare(table, LinkSource(app="zillow.com", id_column="Zillow ID"))
    assert result.added_columns == LINK
    assert result.report.locations() == [
        (2, "App Unique ID", "unique-id-duplicate"),
        (3, "App Unique ID", "unique-id-duplicate"),
    ]


def test_prepare_reports_the_ids_excel_damaged_in_the_id_column() -> None:
    """The fill reads the ids from "Zillow ID" and writes them as text: only the fill can tell
    that a number there had lost digits, so prepare's report must carry the fill's issues. The
    damage is what to fix: the text the fill wrote is not also said not to be a Zillow id."""
    table = Table(
        ["Name", "Zillow ID"],
        [["a", 12345678901234567], ["b", 59187422], ["c", 1.5], ["d", "7654321"]],
    )
    damaged = (
        'Row {}: App Unique ID "{}" looks damaged by Excel ({}); copy the id again from the '
        "source app and store the column as text."
    )
    result = prepare(table, LinkSource(app="zillow.com", id_column="Zillow ID"))

    assert [dataclasses.astuple(i) for i in result.report] == [
        (
            2,
            "Zillow ID",
            "unique-id-mangled",
            "error",
            damaged.format(
                2,
                "12345678901234567",
                "it is a number with 17 digits and Excel keeps only 15",
            ),
            "12345678901234567",
            "",
        ),
        (
            4,
            "Zillow ID",
            "unique-id-mangled",
            "error",
            damaged.format(4, "1.5", "it is stored as a number with a fraction"),
            "1.5",
            "",
        ),
    ]
    assert [row[3] for row in result.table.rows] == [
        "12345678901234567",
        "59187422",
        "1.5",
        "7654321",
    ]


@pytest.mark.parametrize(
    ("given", "other"),
    [
        ({"id_column": "Id"}, "id_column"),
        ({"kind": "record"}, "kind"),
        ({"settings": {"a": "1"}}, "settings"),
    ],
    ids=["id-column", "kind", "settings"],
)
def test_link_source_refuses_options_from_url_would_leave_unused(given: dict, other: str) -> None:
    with pytest.raises(ConflictingOptions) as raised:
        LinkSource(from_url="Listing URL", **given)
    assert (raised.value.option, raised.value.other, raised.value.exit_code) == (
        "from_url",
        other,
        2,
    )


def test_link_source_is_one_frozen_value() -> None:
    source = LinkSource(
        from_url="Listing URL", app="zillow.com", overwrite=True, template_settings={"a": "1"}
    )
    assert (source.given, source.all_settings()) == (True, {"a": "1"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        source.app = "lofty.com"  # type: ignore[misc]
    with pytest.raises(TypeError):
        source.template_settings["a"] = "2"  # type: ignore[index]
    ids = LinkSource(
        app="hubspot.com",
        settings={"portal_id": "7"},
        template_settings={"portal_id": "1", "b": "2"},
    )
    assert ids.all_settings() == {"portal_id": "7", "b": "2"}  # the user's own win
    assert not LinkSource().given
    with pytest.raises(NoLinkSource):
        fill_links(Table(["Name"], [["a"]]), LinkSource())


def test_fill_links_from_ids_uses_every_part_of_the_source() -> None:
    table = Table(["Name", "Deal"], [["a", "42"]])
    source = LinkSource(app="hubspot.com", id_column="Deal", template_settings={"portal_id": "7"})
    result = fill_links(table, source)
    assert result.table.rows == [
        [
            "a",
            "42",
            "hubspot.com",
            "42",
            "HubSpot",
            "https://app.hubspot.com/contacts/7/record/0-3/42",
        ]
    ]
