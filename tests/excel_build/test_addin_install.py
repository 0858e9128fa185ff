"""Install, remove and status of the add-in, and the `applinks addin` commands."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from applinks.cli import main
from applinks.excel import install
from applinks.excel.build import ADDIN_PATH, TEMPLATE_PATH

from .conftest import REPO


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        (
            "win32",
            {"APPDATA": "C:/Users/ann/AppData/Roaming"},
            Path("C:/Users/ann/AppData/Roaming/Microsoft/Excel/XLSTART"),
        ),
        (
            "darwin",
            {},
            Path(
                "/Users/ann/Library/Group Containers/UBF8T346G9.Office/User Content.localized/"
                "Startup.localized/Excel"
            ),
        ),
    ],
    ids=["windows", "macos"],
)
def test_startup_folder(platform: str, environ: dict, expected: Path) -> None:
    folder = install.startup_folder(platform=platform, environ=environ, home=Path("/Users/ann"))
    assert folder == expected


def test_linux_says_excel_is_not_available() -> None:
    with pytest.raises(install.ExcelNotAvailable, match="Microsoft Excel is not available"):
        install.startup_folder(platform="linux", environ={})


def test_install_status_remove(tmp_path: Path) -> None:
    folder = tmp_path / "XLSTART"
    source = REPO / ADDIN_PATH
    assert install.status(folder=folder) == install.Status(False, folder / "applinks.xlam")
    assert install.install(source, folder=folder) == folder / "applinks.xlam"
    assert (folder / "applinks.xlam").read_bytes() == source.read_bytes()
    assert install.status(folder=folder) == install.Status(True, folder / "applinks.xlam")
    assert install.remove(folder=folder) == folder / "applinks.xlam"
    assert install.remove(folder=folder) is None
    assert sorted(folder.iterdir()) == []


def test_install_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(install.ApplinksError, match="does not exist"):
        install.install(tmp_path / "nope.xlam", folder=tmp_path)


def test_cli_build_writes_both_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["addin", "build", "--out", str(tmp_path)])
    assert (result.exit_code, result.output) == (
        0,
        f"Wrote {tmp_path / ADDIN_PATH}\nWrote {tmp_path / TEMPLATE_PATH}\n",
    )
    assert (tmp_path / ADDIN_PATH).read_bytes() == (REPO / ADDIN_PATH).read_bytes()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="Excel may exist here")
def test_cli_install_on_linux_is_one_sentence_and_exit_2() -> None:
    result = CliRunner().invoke(main, ["addin", "install"])
    assert result.exit_code == 2
    assert result.output == (
        "Microsoft Excel is not available on this computer (it runs on Windows and macOS). "
        "Copy applinks.xlam to a computer with Excel and run `applinks addin install` there.\n"
    )


def test_cli_install_and_status_with_a_startup_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    target = install.startup_folder() / "applinks.xlam"
    runner = CliRunner()
    assert runner.invoke(main, ["addin", "status"]).output == (
        f"The add-in is not installed. `applinks addin install` puts it at {target}.\n"
    )
    result = runner.invoke(main, ["addin", "install"])
    assert (result.exit_code, result.output.splitlines()[0]) == (0, f"Wrote {target}")
    assert runner.invoke(main, ["addin", "status"]).output == (
        f"The add-in is installed at {target}.\n"
    )
    assert runner.invoke(main, ["addin", "remove"]).output == (
        f"Removed {target}. Restart Excel to hide the Cloze tab.\n"
    )
    assert runner.invoke(main, ["addin", "remove"]).output == (
        "The add-in is not installed; nothing to remove.\n"
    )
