"""Check, piece by piece, that the add-in can work on this computer, and say what is wrong.

``applinks addin doctor`` runs :func:`diagnose`: Excel's folders, the add-in in the startup
folder (and that it is the one of this package), on macOS xlwings' AppleScript, the settings file
``applinks.conf`` and the Python it names (that it exists and imports applinks and the pinned
xlwings). Each finding is one plain sentence; a problem says what to do.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from applinks.excel.build.sources import XLWINGS_VERSION
from applinks.excel.install import (
    Places,
    applescript_source,
    conf_encoding,
    interpreter_key,
    read_conf,
)

_PROBE = "import applinks, xlwings; print(xlwings.__version__)"


@dataclass(frozen=True)
class Finding:
    """One checked piece: fine or not, in one sentence."""

    ok: bool
    text: str


def run_probe(interpreter: str) -> tuple[bool, str]:
    """Run ``interpreter`` and import applinks and xlwings; return (worked, xlwings version)."""
    try:
        done = subprocess.run(
            [interpreter, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False, ""
    return done.returncode == 0, done.stdout.strip()


def diagnose(
    where: Places,
    *,
    addin: Path,
    version: str,
    probe: Callable[[str], tuple[bool, str]] = run_probe,
) -> list[Finding]:
    """Return the findings for the set-up at ``where``.

    ``addin`` is this package's add-in (the installed copy must have the same bytes);
    ``version`` is this package's version, named in the sentences.
    """
    findings = [_excel_folder(where), _addin(where, addin, version)]
    if where.applescript is not None:
        findings.append(_applescript(Path(where.applescript)))
    conf = Path(where.conf)
    interpreter, found = _conf(conf, interpreter_key(where.platform), where.platform)
    findings.append(found)
    if interpreter:
        findings.append(_interpreter(conf, interpreter, probe))
    return findings


def _excel_folder(where: Places) -> Finding:
    folder = Path(where.excel_folder)
    if folder.is_dir():
        return Finding(True, f"Excel's folder for this user exists ({folder}).")
    return Finding(
        False,
        f"Excel's folder {folder} is missing: Excel has not been started by this user on this "
        "computer yet. Start Excel once, quit it, then run `applinks addin install`.",
    )


def _addin(where: Places, addin: Path, version: str) -> Finding:
    target = Path(where.addin)
    if not target.is_file():
        return Finding(
            False,
            f"The add-in is not in Excel's startup folder ({target}): "
            "run `applinks addin install`.",
        )
    if target.read_bytes() != addin.read_bytes():
        return Finding(
            False,
            f"The add-in at {target} is not the one of applinks {version} (an older or "
            "changed copy): quit Excel and run `applinks addin install` again.",
        )
    return Finding(True, f"The add-in at {target} is the one of applinks {version}.")


def _applescript(script: Path) -> Finding:
    if not script.is_file():
        return Finding(
            False,
            f"The AppleScript that Excel for Mac runs Python with is missing ({script}), so "
            "every button fails: run `applinks addin install`.",
        )
    if script.read_bytes() != applescript_source().read_bytes():
        return Finding(
            False,
            f"The AppleScript at {script} is not the one of xlwings {XLWINGS_VERSION}: "
            "run `applinks addin install` again.",
        )
    return Finding(True, f"The AppleScript is in place ({script}).")


def _conf(conf: Path, key: str, platform: str) -> tuple[str, Finding]:
    if not conf.is_file():
        return "", Finding(
            False,
            f"The settings file {conf} is missing, so Excel starts whatever Python comes first "
            "on its PATH: run `applinks addin install` with the Python that has applinks.",
        )
    settings = {k.upper(): v for k, v in read_conf(conf.read_text(conf_encoding(platform)))}
    interpreter = settings.get(key, "")
    if not interpreter:
        return "", Finding(
            False,
            f"The settings file {conf} does not name the Python to use ({key}): "
            "run `applinks addin install` with the Python that has applinks.",
        )
    return interpreter, Finding(True, f"The settings file {conf} names {interpreter}.")


def _interpreter(conf: Path, interpreter: str, probe: Callable[[str], tuple[bool, str]]) -> Finding:
    if not Path(interpreter).is_file():
        return Finding(
            False,
            f"The Python named in {conf} ({interpreter}) does not exist: run "
            "`applinks addin install` with the Python that has applinks.",
        )
    worked, xlwings_version = probe(interpreter)
    if not worked:
        return Finding(
            False,
            f"The Python named in {conf} ({interpreter}) cannot import applinks and xlwings: "
            f"install them there with: {interpreter} -m pip install 'cloze-applinks[excel]'",
        )
    if xlwings_version != XLWINGS_VERSION:
        return Finding(
            False,
            f"The Python named in {conf} ({interpreter}) has xlwings {xlwings_version}, but the "
            f"add-in needs xlwings {XLWINGS_VERSION}: install it there with: "
            f"{interpreter} -m pip install 'xlwings=={XLWINGS_VERSION}'",
        )
    return Finding(True, f"{interpreter} imports applinks and xlwings {XLWINGS_VERSION}.")
