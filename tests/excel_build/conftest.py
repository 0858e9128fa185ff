"""Fixtures for the add-in builder tests: the repository, the schemas, one fresh build."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO.parent / "shared" / "reference" / "schemas"


@pytest.fixture(scope="session")
def schemas_dir() -> Path:
    if not (SCHEMAS / "customui14.xsd").is_file():
        pytest.fail(
            f"The ribbon schemas are missing: expected customui14.xsd in {SCHEMAS} "
            "(the shared/ folder beside the repository)."
        )
    return SCHEMAS


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the add-in and the template once into a temporary folder."""
    from applinks.excel.build import build

    out = tmp_path_factory.mktemp("build")
    addin, template = build(out)
    return {"xlam": addin, "xlsm": template}
