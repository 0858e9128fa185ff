"""Open workbooks encrypted with Excel's default password, as Excel does without asking.

Excel encrypts a workbook with the password "VelvetSweatshop" when it is only protected
against changes (Review > Protect Workbook, or "read-only recommended" in older versions); it
opens such a file without asking for anything, and so does LibreOffice. The user never set a
password, so telling them to remove one is wrong. msoffcrypto-tool (a maintained library)
decrypts every variant Excel writes: for .xls the XOR obfuscation and RC4 (plain and CryptoAPI),
for .xlsx the standard and agile encryption. A file whose password is a real one gets one
sentence, the same for every variant.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from applinks.errors import InputError

#: The password Excel uses when the user gave none (documented in MS-OFFCRYPTO 2.4.2.3 and
#: MS-XLS 2.4.117: "VelvetSweatshop").
DEFAULT_PASSWORD = "VelvetSweatshop"

#: A folder kept in memory, where the system has one: the decrypted copy never reaches a disk.
_MEMORY_FOLDER = Path("/dev/shm")


def password_sentence(name: str) -> str:
    """Return the one sentence every password-protected workbook gets."""
    return (
        f'"{name}" is protected with a password; open it in Excel, remove the password '
        "(File > Info > Protect Workbook), save it and try again."
    )


def is_encrypted(path: Path) -> bool:
    """Return True for an OLE file that holds an encrypted workbook (any variant)."""
    import msoffcrypto

    try:
        with path.open("rb") as handle:
            return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:  # not an Office file msoffcrypto knows: the reader reports it
        return False


def decrypted_bytes(path: Path) -> bytes:
    """Return the workbook inside ``path``, decrypted with Excel's default password.

    Raises:
        InputError: the file has a password of its own (or cannot be decrypted).
    """
    import msoffcrypto

    try:
        with path.open("rb") as handle:
            office = msoffcrypto.OfficeFile(handle)
            office.load_key(password=DEFAULT_PASSWORD)
            out = io.BytesIO()
            office.decrypt(out)
    except Exception as exc:  # a wrong password, or damage: either way the user must act
        raise InputError(password_sentence(path.name), path=path) from exc
    return out.getvalue()


@contextlib.contextmanager
def decrypted_copy(path: Path) -> Iterator[Path]:
    """Yield a private copy of ``path`` decrypted with the default password, then remove it.

    The copy has the file's own name (so every sentence names the user's file) in a folder only
    this user can read, in memory where the system offers it (``/dev/shm``).
    """
    data = decrypted_bytes(path)
    base = (
        _MEMORY_FOLDER if _MEMORY_FOLDER.is_dir() and os.access(_MEMORY_FOLDER, os.W_OK) else None
    )
    folder = Path(tempfile.mkdtemp(prefix="applinks-", dir=base))
    try:
        copy = folder / path.name
        with open(copy, "xb") as handle:
            handle.write(data)
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)
