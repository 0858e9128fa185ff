"""Keep the docs in step with the code: every issue code has a docs row, every command a section."""

from __future__ import annotations

import re
from pathlib import Path

from applinks.cli import main
from applinks.issues import CODES
from tests.load_module import load_script

ROOT = Path(__file__).parent.parent


def test_every_issue_code_has_a_docs_row_in_order() -> None:
    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", text, flags=re.M)
    assert rows == [(code, severity) for code, (severity, _) in CODES.items()]


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"applinks {name}" in readme, name


def test_apps_doc_matches_the_registry() -> None:
    module = load_script("make_apps_doc")
    assert (ROOT / "docs" / "apps.md").read_text(encoding="utf-8") == module.render()


def test_cli_doc_is_the_help_of_every_command_and_is_linked() -> None:
    """docs/cli.md is what scripts/make_cli_doc.py writes now (run it after changing an option)."""
    module = load_script("make_cli_doc")
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == module.render(), "docs/cli.md is stale: run python scripts/make_cli_doc.py"
    sections = re.findall(r"^## (applinks.*)$", text, flags=re.M)
    assert {f"applinks {name}" for name in main.commands} <= set(sections)
    assert {"applinks", "applinks addin build", "applinks fill"} <= set(sections)
    assert "(docs/cli.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_testing_doc_lists_the_faults_of_the_fault_script() -> None:
    module = load_script("faults")
    text = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    section = text.split("## Faults the suite must catch", 1)[1].split("\n## ", 1)[0]
    listed: list[tuple[str, str, list[str]]] = []
    for row in re.findall(r"^\| (.*?) \| `(tests/[^`]+::[^`]+)` \| .* \|$", section, flags=re.M):
        first, test = row
        named = re.match(r"`([a-z0-9-]+)`: .* \| `([^`]+)`$", first)
        if named:
            listed.append((named.group(1), named.group(2), []))
        listed[-1][2].append(test)
    assert listed == [(f.name, f.path, list(f.tests)) for f in module.FAULTS]
    assert "SURVIVED" not in section
