"""Render an annotated workbook with LibreOffice and look at it: flagged cells, and only those."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from applinks.checks import check
from applinks.files.read import read_table
from applinks.files.xlsx_annotate import write_annotated
from applinks.rules import COLOURS, RULE_CODES
from tests.office import convert

ROOT = Path(__file__).resolve().parents[2]
IMAGE = ROOT / "docs" / "images" / "annotated.png"
DPI = 110
HEADERS = ["Name", "App ID", "App Unique ID", "App Name", "App Content URL"]
WIDTHS = [10, 20, 16, 12, 26]
ROWS = [
    ["Deal1", "zillow.com", "59187422", "Zillow", "https://zillow.com/h/1"],
    ["Deal2", "Zillow.com", "2071534988", "Zillow", "https://zillow.com/h/2"],
    ["Deal3", "zillow.com", None, "Zillow", "https://zillow.com/h/3"],
    ["Deal4", "zillow.com", "1.42E+18", "Zillow", "zillow.com/h/4"],
    ["Deal5", "zillow.com", "88001", None, "https://zillow.com/h/5"],
    ["Deal6", "https://zillow.com", "88002", "Zillow", "https://zillow.com/h/6"],
    ["Deal7", "zillow.com", "88003", "Zillow", None],
    ["Deal8", "zillow.com", "88004", "Zillow", "https://zillow.com/h/8"],
]


def _words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """Return (xMin, yMin, xMax, yMax, word) for the words on page 1, in points."""
    html = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        (float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, html)
    ]


def _pixels(pdf: Path, out: Path) -> tuple[int, int, bytes]:
    """Render page 1 as a PPM image and return (width, height, RGB bytes)."""
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", str(DPI), "-singlefile", str(pdf), str(out)],
        check=True,
    )
    data = out.with_suffix(".ppm").read_bytes()
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert magic == b"P6" and depth == b"255"
    return int(width), int(height), pixels


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@pytest.mark.libreoffice
def test_rendered_workbook_highlights_exactly_the_flagged_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Deals"
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(65 + index)].width = width
    sheet.page_setup.orientation = "landscape"  # the whole table on page 1
    source = tmp_path / "deals.xlsx"
    book.save(source)
    table = read_table(source)
    report = check(table)
    write_annotated(source, table, report, tmp_path / "flags.xlsx")

    pdf = convert(tmp_path / "flags.xlsx", "pdf", tmp_path)
    words = _words(pdf)
    width, height, pixels = _pixels(pdf, tmp_path / "page")
    scale = DPI / 72

    # Column spans from the header words, row spans from each row's Name.
    header_y = min(w[1] for w in words if w[4] == "Name")
    line = sorted((w for w in words if abs(w[1] - header_y) < 2), key=lambda w: w[0])
    spans = {}
    for header in HEADERS:
        count = len(header.split())
        phrase, line = line[:count], line[count:]
        assert " ".join(w[4] for w in phrase) == header
        spans[header] = (phrase[0][0], phrase[-1][2])
    rows = {}
    for number, row in enumerate(ROWS, start=2):
        word = next(w for w in words if w[4] == row[0])
        rows[number] = (word[1], word[3])

    fills = {severity: _rgb(fill) for severity, (fill, _) in COLOURS.items()}

    def colour_of(header: str, number: int) -> str | None:
        # The middle of the cell: word boxes reach a little into the rows above and below.
        (x0, x1), (y0, y1) = spans[header], rows[number]
        y0, y1 = y0 + 3, y1 - 3
        counts = dict.fromkeys(fills, 0)
        total = 0
        for y in range(int(y0 * scale) + 1, int(y1 * scale)):
            for x in range(int(x0 * scale) + 1, int(x1 * scale)):
                at = (y * width + x) * 3
                pixel = pixels[at : at + 3]
                total += 1
                for severity, rgb in fills.items():
                    if all(abs(pixel[i] - rgb[i]) <= 10 for i in range(3)):
                        counts[severity] += 1
        severity, best = max(counts.items(), key=lambda kv: kv[1])
        if best > total * 0.3:
            return severity
        assert best < total * 0.02, (header, number, counts, total)
        return None

    seen = {
        (number, header): colour
        for header in HEADERS
        for number in rows
        if (colour := colour_of(header, number)) is not None
    }
    expected: dict[tuple[int, str], str] = {}
    for issue in report:
        if issue.code in RULE_CODES and issue.column in HEADERS:
            key = (issue.row, issue.column)
            if expected.get(key) != "error":
                expected[key] = issue.severity
    assert seen == expected
    assert seen == {
        (3, "App ID"): "error",
        (4, "App ID"): "error",
        (4, "App Unique ID"): "error",
        (5, "App Unique ID"): "error",
        (5, "App Content URL"): "error",
        (6, "App Name"): "warning",
        (7, "App ID"): "error",
        (8, "App Content URL"): "warning",
    }

    # The picture in the README is this render, cropped to the table.
    x0 = int(spans["Name"][0] * scale) - 12
    x1 = int((spans["App Content URL"][0] + WIDTHS[-1] * 7 + 8) * scale)
    y0 = int(header_y * scale) - 10
    y1 = int(rows[len(ROWS) + 1][1] * scale) + 10
    crop = tmp_path / "annotated"
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", str(DPI), "-singlefile", "-png",
         "-x", str(x0), "-y", str(y0), "-W", str(x1 - x0), "-H", str(y1 - y0),
         str(pdf), str(crop)],
        check=True,
    )  # fmt: skip
    if os.environ.get("APPLINKS_UPDATE_IMAGES"):
        IMAGE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(crop.with_suffix(".png"), IMAGE)
    assert IMAGE.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "docs/images/annotated.png" in (ROOT / "README.md").read_text(encoding="utf-8")
