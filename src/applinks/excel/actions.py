"""The entry point behind every button of the Cloze ribbon.

The add-in's VBA calls exactly ``RunPython "import applinks.excel.actions as a; a.run('ACTION')"``
with one of the names in :data:`ACTIONS`. :func:`run` finds the calling workbook, switches
screen updating off and calculation to manual (and puts both back, even on error), runs the
action from :mod:`applinks.excel.sheet`, and shows its one-line result in a message box. A
problem with the data or its use is shown as one plain sentence; anything unexpected is shown as
a short note, and the traceback goes to the log file (:func:`log_path`), never to the screen.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from applinks.errors import ApplinksError
from applinks.excel import sentences, sheet

#: Each ribbon action: a function of the workbook and the user interface that returns the
#: one line to show.
ACTIONS: dict[str, Callable[[Any, sheet.Ui], str]] = {
    "insert_columns": sheet.insert_columns,
    "fill_app_links": sheet.fill_app_links_action,
    "from_urls": sheet.from_urls,
    "check_sheet": sheet.check_sheet,
    "clear_flags": sheet.clear_flags,
    "save_csv": sheet.save_csv,
    "email_support": sheet.email_support,
    "templates": sheet.templates_action,
    "help": sheet.help_action,
}

#: The button labels, for messages.
LABELS = {name: sentences.LABELS[name] for name in ACTIONS}

#: Set this environment variable to a file path to keep the log somewhere else.
LOG_ENV = "APPLINKS_LOG"
LOG_LIMIT = 1_000_000


def log_path() -> Path:
    """Return the log file: ``$APPLINKS_LOG``, else ``~/.applinks/applinks.log``."""
    configured = os.environ.get(LOG_ENV)
    return Path(configured) if configured else Path.home() / ".applinks" / "applinks.log"


def import_xlwings() -> Any:
    """Return the xlwings module, or raise ApplinksError saying how to install it."""
    try:
        import xlwings
    except ImportError:
        raise ApplinksError(
            'The Excel add-in needs xlwings; install it with: pip install "cloze-applinks[excel]"'
        ) from None
    return xlwings


class ExcelUi:
    """Talk to the user through Excel's own message boxes."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def tell(self, message: str) -> None:
        self.app.alert(message, title=sheet.TITLE, buttons="ok", mode="info")

    def fail(self, message: str) -> None:
        self.app.alert(message, title=sheet.TITLE, buttons="ok", mode="critical")

    def confirm(self, question: str) -> bool:
        return self.app.alert(question, title=sheet.TITLE, buttons="yes_no", mode="info") == "yes"

    def open_file(self, path: Path) -> None:
        from applinks.files.eml_out import has_desktop, open_with_default_program

        if has_desktop():
            open_with_default_program(path)


def run(name: str, *, book: Any = None, ui: Any = None) -> None:
    """Run the ribbon action ``name`` on the calling workbook and show its result.

    ``book`` and ``ui`` are for tests and scripts: by default the book is
    ``xlwings.Book.caller()`` and the user is asked and told through Excel's message boxes.
    """
    if book is None:
        book = import_xlwings().Book.caller()
    app = book.app
    ui = ui if ui is not None else ExcelUi(app)
    label = LABELS.get(name, name)
    try:
        action = ACTIONS.get(name)
        if action is None:
            raise ApplinksError(
                f'The add-in asked for an unknown command "{name}"; install the add-in again.'
            )
        with excel_paused(app, f"{sheet.TITLE}: {label}..."):
            message = action(book, ui)
    except ApplinksError as error:
        write_log(f"{label}: {error}")
        ui.fail(sheet.addin_message(error))
    except Exception:
        where = write_log(f"{label} failed:\n{traceback.format_exc()}")
        detail = f" The details are in {where}." if where else ""
        ui.fail(f"{label} stopped because of an unexpected problem.{detail}")
    else:
        ui.tell(message)


@contextmanager
def excel_paused(app: Any, status: str) -> Iterator[None]:
    """Turn screen updating off and calculation to manual; put both back even on error."""
    saved: list[tuple[str, Any]] = []
    try:
        for attribute, value in (
            ("screen_updating", False),
            ("calculation", "manual"),
            ("status_bar", status),
        ):
            saved.append((attribute, getattr(app, attribute)))
            setattr(app, attribute, value)
        yield
    finally:
        for attribute, value in reversed(saved):
            try:
                setattr(app, attribute, value)
            except Exception:
                write_log(f"Could not set {attribute} back:\n{traceback.format_exc()}")


def write_log(text: str) -> Path | None:
    """Append ``text`` to the log file with a time stamp; return its path (None if unwritable)."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > LOG_LIMIT:
            path.replace(path.with_name(path.name + ".1"))
        stamp = dt.datetime.now().isoformat(timespec="seconds")
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"{stamp} {text.rstrip()}\n")
    except OSError:
        return None
    return path
