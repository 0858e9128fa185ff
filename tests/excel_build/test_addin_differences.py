"""Every structural difference from a file Excel saved is explained in docs/addin-build.md."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import xlwings

from .conftest import REPO
from .ovba_structure import CLASS_FACTS, facts, module_docstrings

WHEEL = Path(xlwings.__file__).parent
DOC = REPO / "docs" / "addin-build.md"


def reference_facts() -> set[str]:
    """quickstart.xlsm (saved by Excel) plus the class-module facts of xlwings.xlam."""
    classes = {f for f in facts(WHEEL / "addin" / "xlwings.xlam") if f.startswith(CLASS_FACTS)}
    return facts(WHEEL / "quickstart.xlsm") | classes


def differences(path: Path, reference: set[str]) -> set[str]:
    ours = facts(path)
    return {f"only in ours: {f}" for f in ours - reference} | {
        f"only in the reference: {f}" for f in reference - ours
    }


def explained() -> dict[str, str]:
    """The table of docs/addin-build.md: difference -> why."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Differences from a file Excel saved", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `(.+?)` \| (.+) \|$", section, flags=re.MULTILINE))


def test_every_difference_from_an_excel_saved_file_is_explained(built: dict[str, Path]) -> None:
    reference = reference_facts()
    found = differences(built["xlam"], reference) | differences(built["xlsm"], reference)
    table = explained()
    assert sorted(found - table.keys()) == [], "a new difference: explain it in the table"
    assert sorted(table.keys() - found) == [], "a row of the table no longer happens"


def test_class_modules_match_excel() -> None:
    # The reader folds values that are each module's own; Excel's fixed ones must match exactly.
    reference = {f for f in reference_facts() if f.startswith("attribute (class)")}
    ours = {f for f in facts(REPO / "addin" / "applinks.xlam") if f.startswith("attribute (class)")}
    assert ours == reference


def test_module_description_is_in_the_dir_stream(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(WHEEL / "addin" / "xlwings.xlam") as archive:
        excel = module_docstrings(archive.read("xl/vbaProject.bin"))
    for kind in ("xlam", "xlsm"):
        with zipfile.ZipFile(built[kind]) as archive:
            ours = module_docstrings(archive.read("xl/vbaProject.bin"))
        assert ours["Dictionary"] == excel["Dictionary"]
        assert ours["Dictionary"].startswith(
            "Drop-in replacement for Scripting.Dictionary on Mac\r\n"
        )
        assert {name for name, text in ours.items() if text} == {"Dictionary"}
