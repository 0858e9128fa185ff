"""Make the benchmark's test files, deterministically: a property/deal export as .xlsx and .csv.

The same seed always gives the same cells. The workbook is written with openpyxl's write-only
mode (inline strings, one row at a time); the CSV is what Excel's "CSV UTF-8" would save from it.
Files that already exist with the expected row count are kept (1,048,575 rows take minutes).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
#: Excel's last row is 1,048,576; one of them is the header.
EXCEL_MAX_ROWS = 1_048_575
SIZES = (100_000, EXCEL_MAX_ROWS)
SEED = 20240501

HEADERS = [
    "Name",
    "Stage",
    "Street Address",
    "City",
    "State",
    "Zip",
    "Price",
    "Beds",
    "Baths",
    "Sq Ft",
    "Listed On",
    "Last Activity",
    "Agent",
    "Agent Email",
    "Zillow ID",
    "Listing URL",
    "Notes",
]

_STREETS = [
    "Maple", "Oak", "Pine", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Main",
    "Sunset", "River", "Highland", "Forest", "Meadow", "Church", "Mill", "Spring", "Ridge", "Bay",
]  # fmt: skip
_SUFFIXES = ["St", "Ave", "Rd", "Dr", "Ln", "Ct", "Way", "Blvd", "Pl", "Ter"]
_PLACES = [
    ("Boston", "MA", "02"), ("Springfield", "MA", "01"), ("Hartford", "CT", "06"),
    ("Newark", "NJ", "07"), ("Portland", "ME", "04"), ("Austin", "TX", "78"),
    ("Denver", "CO", "80"), ("Seattle", "WA", "98"), ("Miami", "FL", "33"),
    ("Phoenix", "AZ", "85"), ("Chicago", "IL", "60"), ("Atlanta", "GA", "30"),
]  # fmt: skip
_FIRST = ["Ana", "Ben", "Chloe", "Dev", "Erin", "Farah", "Gus", "Hana", "Ivan", "Jo", "Kai", "Liu"]
_LAST = ["Smith", "Garcia", "Nguyen", "Okafor", "Rossi", "Kim", "Novak", "Silva", "Cohen", "Ali"]
_STAGES = ["Potential", "Active", "Done", "Lost"]
_NOTES = [
    "Call back next week",
    "Seller wants a quick close",
    "Needs new roof; price reflects it",
    'Open house Saturday, "bring flyers"',
    "Pre-approved buyer, cash offer possible",
    "Tenant occupied until June",
    "- follow up with lender",  # looks like a formula to a spreadsheet
]


def rows(count: int, seed: int = SEED) -> Iterator[list[object]]:
    """Yield ``count`` data rows; the same ``seed`` always gives the same rows."""
    rnd = random.Random(seed)
    base = dt.date(2023, 1, 1)
    for n in range(count):
        city, state, zip_prefix = rnd.choice(_PLACES)
        street = f"{rnd.randint(1, 9999)} {rnd.choice(_STREETS)} {rnd.choice(_SUFFIXES)}"
        name = "" if rnd.random() < 0.001 else f"{street}, {city}"
        stage = rnd.choice(_STAGES) if rnd.random() > 0.002 else "Pending"
        first, last = rnd.choice(_FIRST), rnd.choice(_LAST)
        # Ids are numbers in the export (Excel stores them as numbers); a few repeat.
        zpid = 2_000_000_000 + n * 7 if rnd.random() > 0.0005 else 2_000_000_000
        listed = base + dt.timedelta(days=rnd.randint(0, 700))
        activity = dt.datetime(2024, 1, 1) + dt.timedelta(seconds=rnd.randint(0, 31_536_000))
        note = rnd.choice(_NOTES) if rnd.random() < 0.3 else None
        yield [
            name,
            stage,
            street,
            city,
            state,
            f"{zip_prefix}{rnd.randint(0, 999):03d}",  # text: keeps its leading zero
            float(rnd.randint(150, 2500) * 1000),
            rnd.randint(1, 6),
            rnd.choice([1, 1.5, 2, 2.5, 3, 3.5]),
            rnd.randint(600, 5000),
            listed,
            activity,
            f"{first} {last}",
            f"{first.lower()}.{last.lower()}@example-realty.com",
            zpid,
            f"https://www.zillow.com/homedetails/{zpid}_zpid/",
            note,
        ]


def xlsx_path(count: int) -> Path:
    return DATA / f"properties-{count}.xlsx"


def formatted_path(count: int) -> Path:
    return DATA / f"properties-formatted-{count}.xlsx"


#: The formatted workbook's extra columns: Excel's Special formats, on numbers.
ZIP4_FORMAT = "00000-0000"
PHONE_FORMAT = "[<=9999999]###-####;(###) ###-####"
FORMATTED_HEADERS = [*HEADERS, "Zip+4", "Phone"]


def csv_path(count: int) -> Path:
    return DATA / f"properties-{count}.csv"


def write_xlsx(path: Path, count: int) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Properties")
    sheet.append(HEADERS)
    date_cell = WriteOnlyCell(sheet)
    date_cell.number_format = "yyyy-mm-dd"
    for row in rows(count):
        cells: list[object] = list(row)
        for i in (10, 11):
            cell = WriteOnlyCell(sheet, value=row[i])
            cell.number_format = "yyyy-mm-dd" if i == 10 else "yyyy-mm-dd hh:mm:ss"
            cells[i] = cell
        sheet.append(cells)
    tmp = path.with_suffix(".part")
    book.save(tmp)
    tmp.replace(path)


def write_formatted_xlsx(path: Path, count: int) -> None:
    """The same rows, with the zip as a number under Excel's "Zip Code" format (``00000``),
    and two more number columns under the "Zip Code + 4" and "Phone Number" formats: what a
    sheet whose cells were typed as numbers and then formatted looks like.

    Written as the package's XML directly (as Excel lays it out: inline strings, one style per
    format), which is ten times faster than openpyxl for a million rows.
    """
    import zipfile
    from xml.sax.saxutils import escape

    formats = {5: 1, 10: 2, 11: 3, 17: 4, 18: 5}  # column -> style index
    epoch = dt.datetime(1899, 12, 30)
    rnd = random.Random(SEED + 1)

    def cell(ref: str, value: object, style: int | None) -> str:
        s = f' s="{style}"' if style else ""
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return f'<c r="{ref}" t="inlineStr"{s}><is><t>{escape(value)}</t></is></c>'
        if isinstance(value, dt.datetime):
            value = (value - epoch).total_seconds() / 86400
        elif isinstance(value, dt.date):
            value = (value - epoch.date()).days
        return f'<c r="{ref}"{s}><v>{value}</v></c>'

    letters = [chr(65 + i) for i in range(26)]
    tmp = path.with_suffix(".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _FORMATTED_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            raw.write(_SHEET_HEAD.encode())
            header = "".join(
                cell(f"{letters[i]}1", h, None) for i, h in enumerate(FORMATTED_HEADERS)
            )
            raw.write(f'<row r="1">{header}</row>'.encode())
            for n, row in enumerate(rows(count), start=2):
                zip_code = int(str(row[5]))
                extra = [
                    zip_code * 10_000 + rnd.randint(0, 9999),
                    rnd.randint(2_000_000_000, 9_999_999_999),
                ]
                values = [*row[:5], zip_code, *row[6:], *extra]
                cells = "".join(
                    cell(f"{letters[i]}{n}", v, formats.get(i)) for i, v in enumerate(values)
                )
                raw.write(f'<row r="{n}">{cells}</row>'.encode())
            raw.write(b"</sheetData></worksheet>")
    tmp.replace(path)


_NS = "http://schemas.openxmlformats.org"
_SHEET_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<worksheet xmlns="{_NS}/spreadsheetml/2006/main"><sheetData>'
)
_FORMATTED_PARTS = {
    "[Content_Types].xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_NS}/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_NS}/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}/spreadsheetml/2006/main" '
        f'xmlns:r="{_NS}/officeDocument/2006/relationships"><sheets><sheet name="Properties" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_NS}/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{_NS}/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        f'Type="{_NS}/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_NS}/spreadsheetml/2006/main">'
        '<numFmts count="5"><numFmt numFmtId="164" formatCode="00000"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/>'
        '<numFmt numFmtId="166" formatCode="yyyy-mm-dd hh:mm:ss"/>'
        f'<numFmt numFmtId="167" formatCode="{ZIP4_FORMAT}"/>'
        f'<numFmt numFmtId="168" formatCode="{PHONE_FORMAT.replace("<", "&lt;")}"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        + "".join(
            f'<xf numFmtId="{n}" fontId="0" fillId="0" borderId="0" xfId="0" '
            'applyNumberFormat="1"/>'
            for n in (164, 165, 166, 167, 168)
        )
        + "</cellXfs></styleSheet>"
    ),
}


def write_csv(path: Path, count: int) -> None:
    from applinks.table import cell_text

    tmp = path.with_suffix(".part")
    with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADERS)
        for row in rows(count):
            writer.writerow([cell_text(c) if c is not None else "" for c in row])  # type: ignore[arg-type]
    tmp.replace(path)


def ensure(count: int, *, log=print) -> tuple[Path, Path]:
    """Make the files for ``count`` rows unless they already exist; return (xlsx, csv)."""
    DATA.mkdir(parents=True, exist_ok=True)
    book, text = xlsx_path(count), csv_path(count)
    if not text.exists():
        log(f"making {text.name} ...")
        write_csv(text, count)
    if not book.exists():
        log(f"making {book.name} (this takes a while for a million rows) ...")
        write_xlsx(book, count)
    formatted = formatted_path(count)
    if not formatted.exists():
        log(f"making {formatted.name} (this takes a while for a million rows) ...")
        write_formatted_xlsx(formatted, count)
    return book, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="*", default=list(SIZES))
    args = parser.parse_args(argv)
    for count in args.rows:
        ensure(count, log=lambda m: print(m, file=sys.stderr))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
