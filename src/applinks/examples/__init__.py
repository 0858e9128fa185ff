"""The example property list shipped with the package (used by ``applinks demo``)."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

EXAMPLE_FILE = "example-properties.xlsx"
EXAMPLE_APP = "zillow.com"
EXAMPLE_ID_COLUMN = "Zillow ID"

HEADERS = [
    "Name",
    "Stage",
    "Segment",
    "Street",
    "City",
    "Zip",
    "List Price",
    "Listed",
    "Zillow ID",
    "Agent Email",
    "Notes",
]

# A realistic list with a few planted problems, each noted at the end of its row comment:
ROWS: list[list[object]] = [
    [
        "12 Beacon St",
        "Active",
        "Properties",
        "12 Beacon St",
        "Boston",
        "02108",
        1250000,
        dt.date(2026, 9, 14),
        59187422,
        "ana.lopez@example.com",
        "Corner unit",
    ],
    [
        "48 Rue Sainte-Catherine",
        "Potential",
        "Properties",
        "48 Rue Sainte-Catherine",
        "Montréal",
        "H2X 1K4",
        689000,
        dt.date(2026, 10, 2),
        2071534988,
        "jose.nunez@example.com",
        "Vendeuse pressée, négociable",
    ],
    [
        "7 Elm Ct",
        "Done",
        "Properties",
        "7 Elm Ct",
        "Providence",
        "02903",
        455500.5,
        dt.date(2026, 6, 30),
        81442019,
        "",
        "Closed in June",
    ],
    [
        "301 Ocean Ave #4B",
        "Active",
        "Properties",
        "301 Ocean Ave #4B",
        "Portland",
        "04101",
        799000,
        dt.date(2026, 11, 1),
        2146655123,
        "ana.lopez@example.com",
        "",
    ],
    [
        "19 Chestnut St",
        "Lost",
        "Properties",
        "19 Chestnut St",
        "Cambridge",
        "02139",
        1099000,
        dt.date(2026, 5, 20),
        56011289,
        "",
        "",
    ],
    [
        "88 Harbor View Rd",
        "active",
        "Properties",
        "88 Harbor View Rd",
        "Gloucester",
        "01930",
        935000,
        dt.date(2026, 8, 8),
        90337511,
        "li.wei@example.com",
        "Stage typed in lower case",
    ],  # stage-invalid
    [
        "5 Orchard Ln",
        "Potential",
        "Properties",
        "5 Orchard Ln",
        "Nashua",
        "03060",
        512000,
        dt.date(2026, 10, 21),
        59187422,
        "",
        "Same Zillow id as 12 Beacon St",
    ],  # duplicate
    [
        "",
        "Active",
        "Properties",
        "220 Main St",
        "Burlington",
        "05401",
        389000,
        dt.date(2026, 9, 3),
        73312084,
        "",
        "Name left empty",
    ],  # name-missing
    [
        "14 Birch Hill",
        "Potential",
        "Properties",
        "14 Birch Hill",
        "Concord",
        "03301",
        629900,
        dt.date(2026, 10, 12),
        None,
        "sam.ortiz@example.com",
        "No Zillow listing yet",
    ],
    [
        "63 Water St",
        "Active",
        "Properties",
        "63 Water St",
        "Newport",
        "02840",
        1875000,
        dt.date(2026, 7, 19),
        "1.42E+18",
        "",
        "Id pasted from a CSV opened in Excel",
    ],  # mangled
    [
        "2 Pleasant St",
        "Potential",
        "Properties",
        "2 Pleasant St",
        "Brattleboro",
        "05301",
        349000,
        dt.date(2026, 11, 9),
        67120933,
        "",
        "-10% price cut planned",
    ],  # formula-like
    [
        "410 Congress St",
        "Done",
        "Properties",
        "410 Congress St",
        "Portland",
        "04101",
        540000,
        dt.date(2026, 4, 2),
        2089117346,
        "ana.lopez@example.com",
        "Sold over asking",
    ],
]


def example_path() -> Path:
    """Return the path of the example workbook inside the installed package."""
    return Path(str(resources.files(__package__).joinpath(EXAMPLE_FILE)))
