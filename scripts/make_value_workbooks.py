"""Make the workbooks of tests/data/values/: cells whose number format carries meaning.

``python scripts/make_value_workbooks.py`` rewrites ``tests/data/values/as-shown.xlsx`` (written
by openpyxl, deterministic). The tests convert it with LibreOffice into ``.xlsx``, ``.xls`` and
``.ods`` files of LibreOffice's own making, so every rule is read from two writers.

:data:`COLUMNS` is the single source: each column's header, number format and the cells of
its rows. The CSV that Cloze must get for them is spelled out in ``tests/test_values.py``,
from the rules in ``docs/values.md``, not computed from this file.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "values" / "as-shown.xlsx"

PHONE = "[<=9999999]###-####;(###) ###-####"

#: (header, number format, cells of rows 2, 3 and 4). None: an empty cell.
COLUMNS: list[tuple[object, str, list[object]]] = [
    ("Name", "General", ["12 Elm St", "4 Oak Ave", "9 Pine Rd"]),
    ("Zip", "00000", [2134, 7030, 94105]),
    ("Zip+4", "00000-0000", [21340123, 70301234, 941051234]),
    ("Phone", PHONE, [6175551234, 5551234, 2125550000]),
    ("SSN", "000-00-0000", [123456789, 12345678, 987654321]),
    ("Parcel", "000000000", [42, 123456789, 7]),
    ("Text id", "@", [2134, 12.5, 59187422]),
    ("Share", "0%", [0.75, 0.5, 1]),
    ("Rate", "0.00%", [0.125, 0.0375, 0]),
    ("Price", '"$"#,##0.00', [849000, 1250000.5, 0]),
    ("Sqft", "#,##0", [1234.5, 980, 15000]),
    ("Ratio", "0.00", [3.14159, 2, -1.005]),
    ("Measure", "General", [1521.9999990000001, 0.1 + 0.2, 12345678901234567]),
    ("Listed", "yyyy-mm-dd", [dt.datetime(2024, 5, 6, 13, 30), dt.datetime(2024, 1, 2), None]),
    ("Showing", "h:mm", [dt.time(9, 30), dt.time(17, 5), None]),
    ("Open house", "m/d/yyyy h:mm", [dt.datetime(2024, 5, 6, 9, 30), None, None]),
    ("Time on market", "[h]:mm:ss", [dt.timedelta(hours=30, minutes=10, seconds=10), None, None]),
    ("Lookup", "General", ["#N/A", "#DIV/0!", "ok"]),
    ("Flag", "General", [True, False, None]),
    (True, "General", ["yes", None, None]),
]


ZILLOW = "https://www.zillow.com/homedetails/59187422_zpid/"
REDFIN = "https://www.redfin.com/MA/Boston/12-Elm-St-02134/home/1234567"

#: The sheet "Links": hyperlinks whose text differs from their target, a HYPERLINK formula, a
#: blank row between records, and a column with neither a header nor a value (column C).
LINK_ROWS: list[list[object]] = [
    ["Name", "Listing link", None, "App ID", "App Unique ID", "App Name", "App Content URL"],
    ["12 Elm St", "Redfin page", None, "zillow.com", "59187422", "Zillow", "View listing"],
    [None, None, None, None, None, None, None],
    ["4 Oak Ave", None, None, "zillow.com", "2077", "Zillow", '=HYPERLINK("' + ZILLOW + '")'],
]

#: The sheet "Headers": a Name column under another name and App Link headers spelled
#: otherwise; the CSV for Cloze carries Cloze's exact headers.
HEADER_ROWS: list[list[object]] = [
    ["Deal Name", "AppID", "app unique id", "App URL", "Zip"],
    ["12 Elm St", "zillow.com", "59187422", ZILLOW, "02134"],
]

#: The sheet "Title": a title and a blank row above the header.
TITLE_ROWS: list[list[object]] = [
    ["Spring listings"],
    [],
    ["Name", "Stage", "App ID", "App Unique ID"],
    ["12 Elm St", "Active", "zillow.com", "59187422"],
    ["Name", "Stage", None, None],
]


def build(path: Path = OUT) -> Path:
    """Write the workbook (sheets "Values", "Links", "Title", "Headers"); return its path."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Values"
    for column, (header, number_format, cells) in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=column, value=header)
        for row, value in enumerate(cells, start=2):
            if value is None:
                continue
            cell = sheet.cell(row=row, column=column, value=value)
            cell.number_format = number_format
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = 15
    # One landscape page, so LibreOffice renders the sheet whole (docs/images/values.png).
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_area = "A1:L4"  # the columns whose formats carry meaning, and a few plain ones
    links = book.create_sheet("Links")
    for row in LINK_ROWS:
        links.append(row)
    links["G2"].hyperlink = ZILLOW
    links["B2"].hyperlink = REDFIN
    title = book.create_sheet("Title")
    for row in TITLE_ROWS:
        title.append(row)
    headers = book.create_sheet("Headers")
    for row in HEADER_ROWS:
        headers.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    _fix_dates(path)
    return path


def _fix_dates(path: Path) -> None:
    """Give the package fixed dates, so the file is the same byte for byte every time."""
    import zipfile

    data = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            text = archive.read(info)
            if info.filename == "docProps/core.xml":
                import re

                text = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", text)
            data[info.filename] = text
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in data.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
