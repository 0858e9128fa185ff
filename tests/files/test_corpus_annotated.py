"""Annotated copies of every workbook in tests/data/corpus that the tool reads.

For each .xlsx/.xlsm there, ``check --annotate`` and ``prepare --xlsx`` run in one child process
(as scripts/corpus.py runs them over the whole public corpus) and each copy is checked by
scripts/corpus_verify.py: every XML part well-formed with its namespaces declared, the
worksheets' elements in CT_Worksheet's order, the check sheet there, openpyxl loads it; and
LibreOffice loads every copy, all of them in one conversion call.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import ModuleType

import pytest

from tests.load_module import load_script

ROOT = Path(__file__).resolve().parent.parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """scripts/corpus.py, imported once for the tests that call it."""
    return load_script("corpus")


#: Each workbook's exit code (both commands give the same): 1 read (errors in its data, as
#: none has App Link columns), 2 refused (a real password, a damaged part).
WORKBOOKS = {
    "calamine-empty_shared_string_value.xlsx": 1,  # no styles part: the copy gets one
    "calamine-errors.xlsx": 1,
    "calamine-issue_174-declared-grid.xlsx": 1,
    "calamine-minimal_package.xlsx": 1,
    "calamine-pass_protected.xlsx": 2,
    "poi-47889-empty-styles.xlsx": 1,  # an empty styles part: Excel's default content added
    "poi-49609-backslash-names.xlsx": 1,
    "poi-64420-macro-sheet.xlsm": 1,  # an Excel 4.0 macro sheet, kept as it is
    "poi-clusterfuzz-5937385319563264-bad-checksum.xlsx": 2,  # another sheet is damaged
    "poi-duplicate-filename-case-insensitive.xlsx": 1,  # sheet1.xml and Sheet1.xml
    "poi-duplicate-filename.xlsx": 2,  # sheet1.xml twice: the one read is empty
    "poi-protect-default-password.xlsx": 1,
    "poi-style-alternate-content.xlsx": 1,  # cell formats in mc:AlternateContent
    "sheetjs-issue.xlsx": 1,  # App Unique ID cells of formats already Text and not: copies
    "sheetjs-wtf_path.xlsx": 1,  # parts under wtf/, not xl/
}


@pytest.fixture(scope="module")
def copies(script: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> list:
    """Annotate every workbook of the corpus once for the tests of this module."""
    keep = tmp_path_factory.mktemp("copies")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", str(ROOT / "src"))
        items = [(CORPUS / name, keep / f"{n:05d}") for n, name in enumerate(sorted(WORKBOOKS))]
        return script.annotate_files(items, 120)


def test_the_corpus_folder_has_these_workbooks() -> None:
    found = {p.name for p in CORPUS.iterdir() if p.suffix.lower() in {".xlsx", ".xlsm"}}
    assert found == set(WORKBOOKS)


def test_every_copy_is_well_formed_in_order_and_loads_in_openpyxl(copies: list) -> None:
    """Each workbook read gives two copies with no problem; a refused one gives none."""
    assert [(Path(c.file).name, c.command, c.code, bool(c.copy), c.problems) for c in copies] == [
        (name, command, code, code != 2, [])
        for name, code in sorted(WORKBOOKS.items())
        for command in ("check", "prepare")
    ]


@pytest.mark.libreoffice
def test_libreoffice_loads_every_copy(script: ModuleType, copies: list, tmp_path: Path) -> None:
    """One conversion call for all the copies: each loads with its check sheet."""
    if shutil.which("soffice") is None:
        pytest.skip("needs LibreOffice (soffice)")
    verify = script.corpus_verify
    written = [Path(c.copy) for c in copies if c.copy]
    converted = verify.libreoffice_convert(written, tmp_path, batch=len(written))
    assert {
        copy.parent.name + "/" + copy.name: verify.CHECK_SHEET
        in [n for n, _ in verify.sheet_cells(result)]
        for copy, result in converted.items()
        if result is not None
    } == {copy.parent.name + "/" + copy.name: True for copy in written}
