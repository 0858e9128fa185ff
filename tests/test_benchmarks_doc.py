"""docs/benchmarks.md holds a table from a real run of bench/run.py, and the README links it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_benchmarks_doc_is_from_a_run_and_linked() -> None:
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert "(docs/benchmarks.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^- Machine: .+ cores", text, flags=re.M)
    for size in ("100,000", "1,048,575"):
        section = text.split(f"### {size} rows", 1)[1].split("###", 1)[0]
        for case in ("calamine", "csv-copy", "prepare xlsx", "prepare csv", "check"):
            assert re.search(rf"^\| {re.escape(case)} \(.+\| [\d.]+ s \|", section, flags=re.M)
