"""Write what a workbook needs for the xlwings Lite edition: ``main.py`` and ``requirements.txt``.

xlwings Lite keeps a workbook's code in the workbook, in two tabs of its editor (main.py and
requirements.txt); it documents no file format to write them into a workbook from outside, so
the user pastes the two files (README, "Excel without Python"). ``main.py`` is this package's
``applinks/lite/main.py`` as it is. ``requirements.txt`` names xlwings (Lite's own line, at the
version the ``excel`` extra pins) and cloze-applinks, from PyPI or from a wheel's web address.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from applinks import __version__
from applinks.errors import UsageError

#: The xlwings release the scripts are written and tested against (the ``excel`` extra's pin).
XLWINGS_VERSION = "0.37.8"


def requirements(wheel_url: str | None = None) -> str:
    """Return the text of the requirements.txt tab.

    Lite installs each line with micropip, dependencies included; cloze-applinks' dependencies
    that only the file readers and the CLI need carry the marker ``sys_platform !=
    "emscripten"``, so only publicsuffixlist comes along (docs/lite.md).
    """
    ours = wheel_url.strip() if wheel_url else f"cloze-applinks=={__version__}"
    if wheel_url and not (ours.startswith("https://") and ours.endswith(".whl")):
        raise UsageError(
            f'The wheel address "{wheel_url}" is not an https:// link to a .whl file; give the '
            "address of cloze_applinks-...-py3-none-any.whl."
        )
    return f"xlwings=={XLWINGS_VERSION}\n{ours}\n"


def main_py() -> str:
    """Return the text of the main.py tab."""
    return files("applinks.lite").joinpath("main.py").read_text(encoding="utf-8")


def build(out_dir: Path, *, wheel_url: str | None = None) -> list[Path]:
    """Write main.py and requirements.txt into ``out_dir``; return their paths."""
    text = requirements(wheel_url)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in (("main.py", main_py()), ("requirements.txt", text)):
        path = out_dir / name
        path.write_text(content, encoding="utf-8", newline="\n")
        written.append(path)
    return written
