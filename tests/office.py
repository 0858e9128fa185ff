"""Run LibreOffice headless with a private profile, to read and render the files we write."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 180


def convert(source: Path, target_format: str, out_dir: Path) -> Path:
    """Convert ``source`` with ``soffice --convert-to`` and return the file it wrote.

    Each call uses its own throwaway profile, so it never meets another soffice process.
    """
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        done = subprocess.run(
            [
                shutil.which("soffice") or "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target_format,
                "--outdir",
                str(out_dir),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    extension = target_format.split(":", 1)[0]
    result = out_dir / f"{source.stem}.{extension}"
    if not result.exists():
        raise AssertionError(f"LibreOffice did not convert {source.name}: {done.stderr}")
    return result
