"""Open workbooks encrypted with Excel's default password, as Excel does without asking.

Excel encrypts a workbook with the password "VelvetSweatshop" when it is only protected
against changes (Review > Protect Workbook, or "read-only recommended" in older versions); it
opens such a file without asking for anything, and so does LibreOffice. The user never set a
password, so telling them to remove one is wrong. msoffcrypto-tool (a maintained library)
decrypts every variant Excel 97 and later writes: for .xls the XOR obfuscation and RC4 (plain and
CryptoAPI), for .xlsx the standard and agile encryption. Excel 5.0/95 protected its workbooks
with the same XOR obfuscation, in a stream msoffcrypto-tool does not open ("Book", not
"Workbook"): those are decrypted here with msoffcrypto-tool's XOR method, record by record as
it does for Excel 97. A file whose password is a real one gets one sentence, the same for
every variant.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path

from applinks.errors import InputError

from .xls_cells import records

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
    from msoffcrypto.format.xls97 import Xls97File

    try:
        with path.open("rb") as handle:
            office = msoffcrypto.OfficeFile(handle)
            if office.is_encrypted():
                return True
            if isinstance(office, Xls97File):  # it has a "Workbook" stream: not Excel 95's
                return False
    except Exception:  # not an Office file msoffcrypto knows: maybe an Excel 95 one
        pass
    book = _excel95_stream(path)
    return book is not None and _filepass(book) is not None


def decrypted_bytes(path: Path) -> bytes:
    """Return the workbook inside ``path``, decrypted with Excel's default password.

    Raises:
        InputError: the file has a password of its own (or cannot be decrypted).
    """
    import msoffcrypto

    book = _excel95_stream(path)
    if book is not None:
        return _decrypted_excel95(path, book)
    try:
        with path.open("rb") as handle:
            office = msoffcrypto.OfficeFile(handle)
            office.load_key(password=DEFAULT_PASSWORD)
            out = io.BytesIO()
            office.decrypt(out)
    except Exception as exc:  # a wrong password, or damage: either way the user must act
        raise InputError(password_sentence(path.name), path=path) from exc
    return out.getvalue()


#: Excel 95 records that are never obfuscated (MS-XLS 2.2.10; LibreOffice skips the same): BOF,
#: FILEPASS, INTERFACEHDR, FILELOCK, USREXCL, RRDINFO, RRDHEAD. BOUNDSHEET's first 4 bytes, the
#: sheet's position in the stream, are not either.
_CLEAR_RECORDS = {0x0809, 0x002F, 0x00E1, 0x0195, 0x0194, 0x0196, 0x0138}
_FILEPASS, _BOUNDSHEET, _EOF = 0x002F, 0x0085, 0x000A


def _excel95_stream(path: Path) -> bytes | None:
    """Return the workbook stream of an Excel 5.0/95 compound file ("Book"), else None."""
    from .xls_old import workbook_stream  # here: xls_old imports xlsx_in, which imports this

    found = workbook_stream(path, excel95=True)
    return None if found is None else found[1]


def _filepass(stream: bytes) -> int | None:
    """Return the password verifier of an Excel 95 workbook's FILEPASS record, else None."""
    # At most one record per byte: every record of the stream is read.
    for kind, body, end in records(stream, 0, len(stream)):
        if kind == _EOF:  # the workbook globals end here; FILEPASS comes before
            return None
        if kind == _FILEPASS and end - body == 4:
            return int(struct.unpack_from("<H", stream, body + 2)[0])
    return None


def _decrypted_excel95(path: Path, stream: bytes) -> bytes:
    """Return the compound file ``path`` with its Excel 95 stream decrypted (same size, FILEPASS
    blanked as msoffcrypto-tool blanks it), when the default password opens it.

    Raises:
        InputError: the workbook has a password of its own.
    """
    import olefile
    from msoffcrypto.method.xor_obfuscation import DocumentXOR

    verifier = _filepass(stream)
    if verifier is None or not DocumentXOR.verifypw(DEFAULT_PASSWORD, verifier):
        raise InputError(password_sentence(path.name), path=path)
    # msoffcrypto-tool's XOR method takes the stream's bytes with the clear ones marked by
    # value and the obfuscated ones by -1 (-2: the part of BOUNDSHEET after its 4 clear bytes).
    plain: list[int] = []
    hidden = bytearray(len(stream))
    for kind, body, end in records(stream, 0, len(stream)):
        length = end - body
        header = list(stream[body - 4 : body])
        if kind == _FILEPASS:
            plain += [0, 0, *header[2:], *[0] * length]
        elif kind in _CLEAR_RECORDS:
            plain += header + list(stream[body : body + length])
        elif kind == _BOUNDSHEET and length >= 4:
            plain += header + list(stream[body : body + 4]) + [-2] * (length - 4)
            hidden[body + 4 : body + length] = stream[body + 4 : body + length]
        else:
            plain += header + [-1] * length
            hidden[body : body + length] = stream[body : body + length]
    plain += list(stream[len(plain) :])  # a truncated last record is kept as it is
    decoded = DocumentXOR.decrypt(DEFAULT_PASSWORD, io.BytesIO(hidden), plain, [], 10).read()
    out = bytes(decoded[i] if c < 0 else c for i, c in enumerate(plain))
    copy = io.BytesIO(path.read_bytes())
    with olefile.OleFileIO(copy, write_mode=True) as ole:
        ole.write_stream("Book", out)
    return copy.getvalue()


@contextlib.contextmanager
def decrypted_copy(path: Path) -> Iterator[Path]:
    """Yield a private copy of ``path`` decrypted with the default password, then remove it.

    The copy has the file's own name (so every sentence names the user's file) in a folder only
    this user can read, in memory where the system offers it (``/dev/shm``).
    """
    with private_copy(path.name, decrypted_bytes(path)) as copy:
        yield copy


@contextlib.contextmanager
def private_copy(name: str, data: bytes) -> Iterator[Path]:
    """Yield a file named ``name`` that holds ``data``, then remove it: in a folder only this
    user can read, in memory where the system offers it (``/dev/shm``)."""
    base = (
        _MEMORY_FOLDER if _MEMORY_FOLDER.is_dir() and os.access(_MEMORY_FOLDER, os.W_OK) else None
    )
    folder = Path(tempfile.mkdtemp(prefix="applinks-", dir=base))
    try:
        copy = folder / name
        with open(copy, "xb") as handle:
            handle.write(data)
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)
