"""scripts/corpus.py: each run's exit code and sentence, and the summary it writes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.load_module import load_script

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """scripts/corpus.py, imported once for the tests that call it."""
    return load_script("corpus")


def test_a_panicking_file_is_one_sentence_in_both_commands(
    script: ModuleType, tmp_path: Path, monkeypatch
) -> None:
    """Run in a child with this tree's sources: no traceback, no panic, the same sentence."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    runs = script.run_file(CORPUS / "poi-Simple.xlsb", 60)
    sentence = (
        '"poi-Simple.xlsb" is damaged or not a workbook this tool can read; open it in Excel, '
        "save it as .xlsx and try again."
    )
    assert [(r.command, r.code, r.sentence, r.traceback, r.panic) for r in runs] == [
        ("check", 2, sentence, False, False),
        ("prepare", 2, sentence, False, False),
    ]


def test_the_summary_counts_exit_codes_and_lists_refusals(script: ModuleType) -> None:
    runs = [
        script.Run("a.xlsx", "check", 1, "", 0.5, 30.0, False, False),
        script.Run("a.xlsx", "prepare", 1, "", 0.7, 31.0, False, False),
        script.Run("b.xls", "check", 2, '"b.xls" is damaged.', 0.1, 20.0, False, False),
        script.Run("b.xls", "prepare", None, "timed out", 60.0, 0.0, False, False),
    ]
    assert script.summary(runs) == [
        "2 files, 4 runs.",
        "",
        "| command | exit 0 | exit 1 | exit 2 | other | timed out |",
        "|---|---|---|---|---|---|",
        "| check | 0 | 1 | 1 | 0 | 0 |",
        "| prepare | 0 | 1 | 0 | 0 | 1 |",
        "",
        "Tracebacks: 0. Panics: 0.",
        "Slowest run: 60.0 s (prepare b.xls); largest peak memory: 31 MiB (prepare a.xlsx).",
    ]
    assert script.refusals(runs) == [
        "| file | command | exit | seconds | MiB | sentence |",
        "|---|---|---|---|---|---|",
        '| b.xls | check | 2 | 0.1 | 20 | "b.xls" is damaged. |',
        "| b.xls | prepare | None | 60.0 | 0 | timed out |",
    ]


def test_refusals_carry_libreoffices_reading_and_are_grouped_by_sentence(
    script: ModuleType,
) -> None:
    runs = [
        script.Run("a.xls", "prepare", 1, "", 0.5, 30.0, False, False),
        script.Run("b.xls", "prepare", 2, '"b.xls" is empty.', 0.1, 20.0, False, False),
        script.Run("c.xls", "prepare", 2, '"c.xls" is empty.', 0.2, 21.0, False, False),
        script.Run("d.xlsx", "prepare", 2, '"d.xlsx" has 2 rows.', 0.3, 22.0, False, False),
    ]
    runs[1].libreoffice = runs[2].libreoffice = "opens it: 3 empty sheets"
    runs[3].libreoffice = "cannot open it"
    assert script.refusals(runs)[:3] == [
        "| file | command | exit | seconds | MiB | sentence | LibreOffice |",
        "|---|---|---|---|---|---|---|",
        '| b.xls | prepare | 2 | 0.1 | 20 | "b.xls" is empty. | opens it: 3 empty sheets |',
    ]
    assert script.refusal_groups(runs) == [
        "| runs | sentence | LibreOffice | for example |",
        "|---|---|---|---|",
        '| 2 | "…" is empty. | opens it: N empty sheets | b.xls |',
        '| 1 | "…" has N rows. | cannot open it | d.xlsx |',
    ]


def test_the_doc_section_keeps_what_is_written_by_hand(script: ModuleType, tmp_path) -> None:
    doc = tmp_path / "page.md"
    doc.write_text(
        "# Page\n\nCatalogue.\n\n## Real-world files\n\nWhat the runs taught.\n\n"
        "### The last run\n\nOld numbers.\n",
        encoding="utf-8",
    )
    script.write_section(doc, ["New numbers."])
    assert doc.read_text(encoding="utf-8") == (
        "# Page\n\nCatalogue.\n\n## Real-world files\n\nWhat the runs taught.\n\n"
        "### The last run\n\nNew numbers.\n"
    )
    bare = tmp_path / "bare.md"
    bare.write_text("# Page\n", encoding="utf-8")
    script.write_section(bare, ["Numbers."])
    assert bare.read_text(encoding="utf-8") == (
        "# Page\n\n## Real-world files\n\n### The last run\n\nNumbers.\n"
    )


def _edited_copy(source: Path, target: Path, part: str, edit) -> Path:
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, edit(data.decode()).encode() if info.filename == part else data)
    return target


def test_an_annotated_copy_is_held_to_the_original(script: ModuleType, tmp_path) -> None:
    """A part not well-formed (an undeclared prefix), worksheet elements out of order where the
    original kept the order, and a copy without the check sheet are each named."""
    import zipfile

    import openpyxl

    verify = script.corpus_verify
    book = openpyxl.Workbook()
    book.active.title = verify.CHECK_SHEET
    book.active["A1"] = "Name"
    original = tmp_path / "original.xlsx"
    book.save(original)
    sheet = "xl/worksheets/sheet1.xml"
    assert verify.annotated_problems(original, original) == []
    unbound = _edited_copy(
        original,
        tmp_path / "unbound.xlsx",
        sheet,
        lambda t: t.replace("<sheetData>", "<x:a/><sheetData>"),
    )
    swapped = _edited_copy(
        original,
        tmp_path / "swapped.xlsx",
        sheet,
        lambda t: t.replace("<sheetData>", "<pageMargins/><sheetData>"),
    )
    renamed = _edited_copy(
        original, tmp_path / "renamed.xlsx", "xl/workbook.xml", lambda t: t.replace("App Link", "A")
    )
    with zipfile.ZipFile(unbound) as archive:
        column = archive.read(sheet).decode().index("<x:a/>")
    assert [
        verify.annotated_problems(original, copy)[:1] for copy in (unbound, swapped, renamed)
    ] == [
        [f"{sheet} is not well-formed (unbound prefix: line 1, column {column})"],
        [f"{sheet}: <sheetData> after <pageMargins>"],
        ['the copy has no "App Link Check" sheet'],
    ]
    assert verify.annotated_problems(swapped, swapped) == []  # the original's own order


def test_the_writers_worksheet_order_is_the_standards(script: ModuleType) -> None:
    # The verifier reads CT_Worksheet's order from ECMA-376's schema; the writer has its own
    # table of the elements after conditionalFormatting, held to the standard here.
    from applinks.files.xlsx_sheet_edit import SHEET_ORDER_AFTER_CF

    order = script.corpus_verify.WORKSHEET_ORDER
    assert order[:6] == ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData")
    start = order.index("conditionalFormatting") + 1
    assert order[start:] == SHEET_ORDER_AFTER_CF


def test_refused_files_run_again_keep_libreoffices_verdict(
    script: ModuleType, tmp_path: Path, monkeypatch
) -> None:
    """--again-refused: only the refused files run again, with this tree's sources; one still
    refused keeps what LibreOffice made of it (the file's), one now read loses it."""
    import shutil

    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("sheetjs-wtf_path.xlsb", "poi-Simple.xlsb"):
        shutil.copy(CORPUS / name, folder / name)
    runs = [
        script.Run("sheetjs-wtf_path.xlsb", "prepare", 2, "old", 0.1, 26.0, False, False, "data"),
        script.Run("poi-Simple.xlsb", "prepare", 2, "old", 0.1, 26.0, False, False, "no data"),
        script.Run("a.xlsx", "prepare", 1, "", 0.5, 30.0, False, False),
    ]
    out, again = script.run_refused_again(folder, runs, 60, 1, ("prepare",))
    assert again == ["poi-Simple.xlsb", "sheetjs-wtf_path.xlsb"]
    assert [(r.file, r.code, r.sentence, r.libreoffice) for r in out] == [
        ("a.xlsx", 1, "", ""),
        (
            "poi-Simple.xlsb",
            2,
            '"poi-Simple.xlsb" is damaged or not a workbook this tool can read; open it in '
            "Excel, save it as .xlsx and try again.",
            "no data",
        ),
        ("sheetjs-wtf_path.xlsb", 1, "", ""),
    ]
