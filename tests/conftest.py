"""Shared fixtures, the markers' skips, and what the run says at its end about what it skipped.

- ``libreoffice`` tests need ``soffice``. Where it is missing they are skipped, and the end of
  the run says so loudly; on CI (``CI`` set, as CI services do) or with
  ``APPLINKS_REQUIRE_LIBREOFFICE=1`` they fail instead, since there LibreOffice must be present.
- ``excel`` tests need a live Microsoft Excel: skipped everywhere else, and named at the end.
- Hypothesis never judges a test by the clock (no deadline, no "too slow" health check), so a
  busy machine gives the same verdicts as an idle one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

TESTS = Path(__file__).parent
DATA = TESTS / "data"
GOLDEN = TESTS / "golden"

#: Set to 1 to make a missing LibreOffice fail its tests (CI does, through ``CI``).
REQUIRE_OFFICE = "APPLINKS_REQUIRE_LIBREOFFICE"
NO_OFFICE = "soffice not found; install LibreOffice (bash scripts/test.sh does)"
NO_EXCEL = "needs a live Microsoft Excel (Windows or macOS)"

settings.register_profile(
    "any-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("any-machine")


def office_required() -> bool:
    """Return True where LibreOffice must be present: on CI, or when asked to."""
    ci = os.environ.get("CI", "").strip().lower()
    return ci not in ("", "0", "false", "no") or os.environ.get(REQUIRE_OFFICE) == "1"


def have_office() -> bool:
    return shutil.which("soffice") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip `excel` tests (no Excel here) and `libreoffice` tests where soffice is absent
    (unless LibreOffice is required: then they fail, see :func:`pytest_runtest_call`)."""
    no_excel = pytest.mark.skip(reason=NO_EXCEL)
    no_office = pytest.mark.skip(reason=f"needs LibreOffice: {NO_OFFICE}")
    skip_office = not have_office() and not office_required()
    for item in items:
        if "excel" in item.keywords and not _have_excel():
            item.add_marker(no_excel)
        if "libreoffice" in item.keywords and skip_office:
            item.add_marker(no_office)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    """Fail a `libreoffice` test whose LibreOffice is missing where it is required."""
    if "libreoffice" in item.keywords and not have_office():
        pytest.fail(
            f"LibreOffice is required here ({_why_required()}) but {NO_OFFICE}.", pytrace=False
        )


def _why_required() -> str:
    return f"{REQUIRE_OFFICE}=1" if os.environ.get(REQUIRE_OFFICE) == "1" else "CI is set"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say at the end, where nobody can miss it, which tests were skipped for lack of
    LibreOffice or Excel: a run that skipped them has not tested what they test."""
    skipped = terminalreporter.stats.get("skipped", [])
    office = [r for r in skipped if "libreoffice" in getattr(r, "keywords", {})]
    excel = [r for r in skipped if "excel" in getattr(r, "keywords", {})]
    if not office and not excel:
        return
    terminalreporter.write_sep("!", "tests not run here", yellow=True, bold=True)
    if office:
        count = len(office)
        terminalreporter.write_line(
            f"SKIPPED {count} LibreOffice test{'s' if count != 1 else ''}: {NO_OFFICE}; "
            f"{REQUIRE_OFFICE}=1 makes them fail instead.",
            yellow=True,
            bold=True,
        )
    for report in excel:
        terminalreporter.write_line(
            f"SKIPPED live-Excel test {report.nodeid}: {NO_EXCEL}.", yellow=True, bold=True
        )


def _have_excel() -> bool:
    try:
        import xlwings as xw

        return bool(xw.apps.count)
    except Exception:
        return False


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def golden() -> Path:
    return GOLDEN
