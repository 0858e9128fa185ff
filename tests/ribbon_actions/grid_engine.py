"""An xlwings engine backed by an in-memory grid, which records every call into "Excel".

It plugs into xlwings the way xlwings' own engines do (``xw.engines.add``), so the actions run
through xlwings' real ``Book``/``Sheet``/``Range`` classes and conversion code; only the bottom
layer, which would talk to Excel over COM or AppleScript, is this file. It behaves like Excel
where the add-in depends on it:

- a text written into a General cell is read the way Excel reads typing: ``00123`` becomes the
  number 123, ``TRUE`` a boolean, ``=...`` a formula, ``'x`` the text ``x``; a cell formatted
  as text (``@``) keeps the text as it is;
- inserting a whole column moves the cells, formats, Tables, rules and validations to its right,
  and widens a Table it falls inside (but not one it is next to);
- a conditional format's relative references are read from the active cell, so each rule
  remembers the active cell it was added with (``anchor``);
- ``select`` fails on a sheet that is not active; a new sheet becomes the active one.

Every member of the bottom layer that the actions use appends ``(target, member, args)`` to
``engine.calls``; anything else raises ``NotImplementedError`` (from xlwings' base classes), so
a gap fails loudly.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from xlwings import base_classes, utils

from .formula_locale import local_formula

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def excel_reads(text: str) -> Any:
    """Return what Excel stores when ``text`` is written into a General cell."""
    if text.startswith("'"):
        return text[1:]
    if text == "":
        return None
    if _NUMBER.match(text.strip()):
        return float(text)
    if text.upper() in ("TRUE", "FALSE"):
        return text.upper() == "TRUE"
    if _ISO_DATE.match(text):
        return dt.datetime.fromisoformat(text)
    return text


def typed_text(value: Any) -> str:
    """Return what Excel's ``Range.Formula`` shows for a constant."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%m/%d/%Y")
    return str(value)


@dataclass(frozen=True)
class ExcelError:
    """An error value in a cell (``#N/A``): xlwings hands it over as None, or as its text with
    the ``err_to_str`` option, as Excel's own engines do."""

    text: str


@dataclass
class Rect:
    r1: int
    c1: int
    r2: int
    c2: int

    def contains(self, row: int, col: int) -> bool:
        return self.r1 <= row <= self.r2 and self.c1 <= col <= self.c2

    def intersects(self, other: Rect) -> bool:
        return not (
            other.r2 < self.r1 or other.r1 > self.r2 or other.c2 < self.c1 or other.c1 > self.c2
        )

    def covers(self, other: Rect) -> bool:
        return (
            self.r1 <= other.r1
            and self.c1 <= other.c1
            and self.r2 >= other.r2
            and self.c2 >= other.c2
        )

    def insert_columns(self, col: int, count: int, *, grow_inside: bool = True) -> None:
        if col <= self.c1:
            self.c1 += count
            self.c2 += count
        elif col <= self.c2 and grow_inside:
            self.c2 += count

    def a1(self) -> str:
        first = f"{utils.col_name(self.c1)}{self.r1}"
        if (self.r1, self.c1) == (self.r2, self.c2):
            return first
        return f"{first}:{utils.col_name(self.c2)}{self.r2}"


@dataclass
class RuleModel:
    rect: Rect
    formula: str
    anchor: str
    fill_color: Any = None
    font_color: Any = None
    font_bold: Any = None
    font_italic: Any = None
    stop_if_true: bool = False


@dataclass
class ValidationModel:
    rect: Rect
    kind: str
    source: str
    in_cell_dropdown: bool = True
    show_error: bool = True


@dataclass
class TableModel:
    name: str
    rect: Rect


@dataclass
class SheetModel:
    name: str
    #: column -> row -> value (numbers are floats, as Excel keeps them)
    cells: dict[int, dict[int, Any]] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    formats: list[tuple[Rect, str]] = field(default_factory=list)
    tables: list[TableModel] = field(default_factory=list)
    rules: list[RuleModel] = field(default_factory=list)
    validations: list[ValidationModel] = field(default_factory=list)
    selection: Rect = field(default_factory=lambda: Rect(1, 1, 1, 1))
    autofit: list[str] = field(default_factory=list)
    #: column -> width set through Range.column_width
    widths: dict[int, float] = field(default_factory=dict)

    def value(self, row: int, col: int) -> Any:
        return self.cells.get(col, {}).get(row)

    def number_format(self, row: int, col: int) -> str:
        for rect, fmt in reversed(self.formats):
            if rect.contains(row, col):
                return fmt
        return "General"

    def put(self, row: int, col: int, value: Any, *, typed: bool = False) -> None:
        """Store ``value`` as Excel would when it is written through Value (or Formula)."""
        had = self.formulas.pop((row, col), None)
        if isinstance(value, str):
            if self.number_format(row, col) == "@":
                value = value or None
            elif value.startswith("="):
                self.formulas[(row, col)] = value
                if value == had:
                    return  # Excel works the same formula out to the result it showed
                value = None
            else:
                value = excel_reads(value)
        elif isinstance(value, bool) or value is None:
            pass
        elif isinstance(value, int | float):
            value = float(value)
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        column = self.cells.setdefault(col, {})
        if value is None:
            column.pop(row, None)
        else:
            column[row] = value

    def used(self) -> Rect | None:
        rows = [r for col in self.cells.values() for r in col]
        rows += [r for r, _ in self.formulas]
        cols = [c for c, col in self.cells.items() if col] + [c for _, c in self.formulas]
        if not rows:
            return None
        return Rect(min(rows), min(cols), max(rows), max(cols))

    def insert_columns(self, col: int, count: int) -> None:
        self.cells = {(c + count if c >= col else c): v for c, v in self.cells.items()}
        self.formulas = {
            (r, c + count if c >= col else c): f for (r, c), f in self.formulas.items()
        }
        for rect, _ in self.formats:
            rect.insert_columns(col, count)
        for table in self.tables:
            table.rect.insert_columns(col, count)
        for rule in self.rules:
            rule.rect.insert_columns(col, count)
        for validation in self.validations:
            validation.rect.insert_columns(col, count)

    def column_values(self, col: int, first_row: int = 1, last_row: int | None = None) -> list:
        last = last_row or (self.used().r2 if self.used() else first_row)
        column = self.cells.get(col, {})
        return [self.formulas.get((r, col)) or column.get(r) for r in range(first_row, last + 1)]


@dataclass
class BookModel:
    name: str
    fullname: str
    sheets: list[SheetModel]
    names: dict[str, str] = field(default_factory=dict)
    active: int = 0


class _Recorded:
    engine: Engine

    def _rec(self, member: str, *args: Any) -> None:
        self.engine.calls.append((self._target(), member, args))

    def _target(self) -> str:
        return type(self).__name__


# --- engine, apps, app ------------------------------------------------------------------------


class Engine:
    """The engine object xlwings expects (``xlwings.main.Engine(impl=...)``)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, tuple]] = []
        self.apps = Apps(self)

    @property
    def name(self) -> str:
        return "grid"

    @property
    def type(self) -> str:
        return "desktop"

    @staticmethod
    def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
        def clean(value):
            if value is None:
                return empty_as
            if isinstance(value, ExcelError):
                return value.text if err_to_str else empty_as
            if isinstance(value, dt.datetime) and datetime_builder is not dt.datetime:
                return datetime_builder(year=value.year, month=value.month, day=value.day)
            if number_builder is not None and isinstance(value, float):
                return number_builder(value)
            return value

        return [[clean(v) for v in row] for row in data]

    @staticmethod
    def prepare_xl_data_element(x, options):
        return "" if x is None else x


class Apps(base_classes.Apps):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._apps: list[App] = []

    def keys(self):
        return [a.pid for a in self._apps]

    def add(self, **kwargs):
        app = App(self.engine)
        self._apps.insert(0, app)
        return app

    def __iter__(self):
        return iter(self._apps)

    def __len__(self):
        return len(self._apps)

    def __getitem__(self, index):
        return self._apps[index]


class App(_Recorded, base_classes.App):
    _pid = 1000

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        App._pid += 1
        self._pid_value = App._pid
        self.books_models: list[BookModel] = []
        self.state = {
            "screen_updating": True,
            "calculation": "automatic",
            "status_bar": False,
            "display_alerts": True,
            "enable_events": True,
        }
        #: Every message box shown: (prompt, title, buttons, mode).
        self.alerts: list[tuple[str, str, str, str]] = []
        #: Answers to yes/no questions, used in order ("yes" or "no").
        self.answers: list[str] = []
        #: A hook to make a property fail, to test that state is restored: name -> exception.
        self.fail_on: dict[str, Exception] = {}
        #: The user's Excel: formula language ("en" or "de") and reference style (COM values).
        self.language = "en"
        self.ReferenceStyle = 1  # xlA1; -4150 is xlR1C1

    def _target(self) -> str:
        return "app"

    @property
    def api(self):
        return self

    @property
    def pid(self):
        return self._pid_value

    @property
    def version(self):
        return "16.0"

    @property
    def visible(self):
        return True

    def activate(self, steal_focus=False):
        self._rec("activate")

    @property
    def books(self):
        return Books(self)

    def _get(self, name):
        self._rec(name)
        return self.state[name]

    def _set(self, name, value):
        self._rec(f"{name}=", value)
        if name in self.fail_on:
            raise self.fail_on[name]
        self.state[name] = value

    screen_updating = property(
        lambda self: self._get("screen_updating"), lambda self, v: self._set("screen_updating", v)
    )
    calculation = property(
        lambda self: self._get("calculation"), lambda self, v: self._set("calculation", v)
    )
    status_bar = property(
        lambda self: self._get("status_bar"), lambda self, v: self._set("status_bar", v)
    )
    display_alerts = property(
        lambda self: self._get("display_alerts"), lambda self, v: self._set("display_alerts", v)
    )
    enable_events = property(
        lambda self: self._get("enable_events"), lambda self, v: self._set("enable_events", v)
    )

    @property
    def selection(self):
        self._rec("selection")
        book = self.books_models[0] if self.books_models else None
        if book is None:
            return None
        model = book.sheets[book.active]
        rect = model.selection
        return Range(Sheet(self, book, model), rect)

    def alert(self, prompt, title, buttons, mode, callback):
        self._rec("alert", prompt, title, buttons, mode)
        self.alerts.append((prompt, title, buttons, mode))
        if buttons in ("yes_no", "yes_no_cancel", "ok_cancel"):
            if not self.answers:
                raise AssertionError(f"unexpected question: {prompt}")
            return self.answers.pop(0)
        return "ok"


class Books(_Recorded, base_classes.Books):
    def __init__(self, app: App) -> None:
        self.app = app
        self.engine = app.engine

    @property
    def api(self):
        return self.app.books_models

    @property
    def active(self):
        return Book(self.app, self.app.books_models[0]) if self.app.books_models else None

    def __call__(self, name_or_index):
        if isinstance(name_or_index, int):
            return Book(self.app, self.app.books_models[name_or_index - 1])
        for model in self.app.books_models:
            if model.name.lower() == str(name_or_index).lower():
                return Book(self.app, model)
        raise KeyError(name_or_index)

    def __len__(self):
        return len(self.app.books_models)

    def __iter__(self):
        for model in self.app.books_models:
            yield Book(self.app, model)

    def add(self):
        model = BookModel("Book1", "Book1", [SheetModel("Sheet1")])
        self.app.books_models.insert(0, model)
        return Book(self.app, model)


# --- book, sheets, sheet ----------------------------------------------------------------------


class Book(_Recorded, base_classes.Book):
    def __init__(self, app: App, model: BookModel) -> None:
        self.app_impl = app
        self.engine = app.engine
        self.model = model

    def _target(self) -> str:
        return f"book:{self.model.name}"

    @property
    def api(self):
        return self.model

    @property
    def name(self):
        self._rec("name")
        return self.model.name

    @property
    def fullname(self):
        self._rec("fullname")
        return self.model.fullname

    @property
    def sheets(self):
        return Sheets(self)

    @property
    def app(self):
        return self.app_impl

    @property
    def names(self):
        return Names(self)

    def activate(self):
        self._rec("activate")

    def save(self, path=None, password=None):
        self._rec("save", path)

    def close(self):
        self._rec("close")


class Sheets(_Recorded, base_classes.Sheets):
    def __init__(self, book: Book) -> None:
        self.book = book
        self.engine = book.engine

    def _target(self) -> str:
        return f"book:{self.book.model.name}"

    @property
    def api(self):
        return self.book.model.sheets

    @property
    def active(self):
        self._rec("sheets.active")
        model = self.book.model
        return Sheet(self.book.app_impl, model, model.sheets[model.active])

    def __call__(self, name_or_index):
        self._rec("sheets()", name_or_index)
        sheets = self.book.model.sheets
        if isinstance(name_or_index, int):
            return Sheet(self.book.app_impl, self.book.model, sheets[name_or_index - 1])
        for model in sheets:
            if model.name.lower() == name_or_index.lower():
                return Sheet(self.book.app_impl, self.book.model, model)
        raise KeyError(name_or_index)

    def __len__(self):
        self._rec("sheets.count")
        return len(self.book.model.sheets)

    def __iter__(self):
        self._rec("sheets.iter")
        for model in list(self.book.model.sheets):
            yield Sheet(self.book.app_impl, self.book.model, model)

    def add(self, before=None, after=None, name=None):
        self._rec("sheets.add", before and before.model.name, after and after.model.name, name)
        sheets = self.book.model.sheets
        model = SheetModel(name or f"Sheet{len(sheets) + 1}")
        if before is not None:
            index = sheets.index(before.model)
        elif after is not None:
            index = sheets.index(after.model) + 1
        else:
            index = self.book.model.active
        sheets.insert(index, model)
        self.book.model.active = index
        return Sheet(self.book.app_impl, self.book.model, model)


class Sheet(_Recorded, base_classes.Sheet):
    def __init__(self, app: App, book: BookModel, model: SheetModel) -> None:
        self.app = app
        self.engine = app.engine
        self.book_model = book
        self.model = model

    def _target(self) -> str:
        return f"sheet:{self.model.name}"

    @property
    def api(self):
        return self.model

    @property
    def name(self):
        self._rec("name")
        return self.model.name

    @property
    def book(self):
        return Book(self.app, self.book_model)

    @property
    def index(self):
        return self.book_model.sheets.index(self.model) + 1

    def range(self, arg1, arg2=None):
        self._rec("range", _arg(arg1), _arg(arg2))
        return Range(self, _rect(arg1, arg2))

    @property
    def cells(self):
        self._rec("cells")
        return Range(self, Rect(1, 1, MAX_ROWS, MAX_COLUMNS))

    @property
    def used_range(self):
        self._rec("used_range")
        return Range(self, self.model.used() or Rect(1, 1, 1, 1))

    @property
    def tables(self):
        return Tables(self)

    def activate(self):
        self._rec("activate")
        self.book_model.active = self.book_model.sheets.index(self.model)

    def select(self):
        self.activate()

    def delete(self):
        self._rec("delete")
        sheets = self.book_model.sheets
        index = sheets.index(self.model)
        sheets.remove(self.model)
        if self.book_model.active >= index and self.book_model.active > 0:
            self.book_model.active -= 1

    def autofit(self, axis=None):
        self._rec("autofit", axis)


def _arg(arg: Any) -> Any:
    return arg.rect.a1() if isinstance(arg, Range) else arg


def _rect(arg1: Any, arg2: Any) -> Rect:
    if isinstance(arg1, Range):
        first = arg1.rect
        second = arg2.rect if isinstance(arg2, Range) else first
        return Rect(
            min(first.r1, second.r1),
            min(first.c1, second.c1),
            max(first.r2, second.r2),
            max(first.c2, second.c2),
        )
    if isinstance(arg1, str):
        t1, t2 = utils.a1_to_tuples(arg1.replace("$", ""))
        t2 = t2 or t1
        return Rect(t1[0], t1[1], t2[0], t2[1])
    if len(arg1) == 4:
        row, col, nrows, ncols = arg1
        return Rect(row, col, row + nrows - 1, col + ncols - 1)
    t2 = arg2.rect if isinstance(arg2, Range) else (arg2 or arg1)
    if isinstance(t2, Rect):
        return Rect(arg1[0], arg1[1], t2.r2, t2.c2)
    return Rect(arg1[0], arg1[1], t2[0], t2[1])


# --- range ------------------------------------------------------------------------------------


class Range(_Recorded, base_classes.Range):
    def __init__(self, sheet: Sheet, rect: Rect) -> None:
        self.sheet = sheet
        self.engine = sheet.engine
        self.rect = rect
        self.options = {}

    def _target(self) -> str:
        return f"{self.sheet.model.name}!{self.rect.a1()}"

    @property
    def model(self) -> SheetModel:
        return self.sheet.model

    @property
    def api(self):
        return self

    @property
    def coords(self):
        return (self.model.name, self.rect.r1, self.rect.c1, *self.shape)

    @property
    def row(self):
        return self.rect.r1

    @property
    def column(self):
        return self.rect.c1

    @property
    def shape(self):
        return (self.rect.r2 - self.rect.r1 + 1, self.rect.c2 - self.rect.c1 + 1)

    def __len__(self):
        rows, cols = self.shape
        return rows * cols

    def __call__(self, arg1, arg2=None):
        if arg2 is None:
            col = (arg1 - 1) % self.shape[1]
            row = (arg1 - 1 - col) // self.shape[1]
            return self(row + 1, col + 1)
        row, col = self.rect.r1 + arg1 - 1, self.rect.c1 + arg2 - 1
        return Range(self.sheet, Rect(row, col, row, col))

    @property
    def has_array(self):
        return False

    @property
    def address(self):
        self._rec("address")
        return self.get_address(True, True, False)

    def get_address(self, row_absolute, col_absolute, external):
        r, c = ("$" if row_absolute else ""), ("$" if col_absolute else "")
        rect = self.rect
        text = f"{c}{utils.col_name(rect.c1)}{r}{rect.r1}"
        if (rect.r1, rect.c1) != (rect.r2, rect.c2):
            text += f":{c}{utils.col_name(rect.c2)}{r}{rect.r2}"
        if external:
            text = f"'{self.model.name}'!{text}"
        return text

    @property
    def raw_value(self):
        self._rec("value")
        rect, model = self.rect, self.model
        columns = [model.cells.get(c, {}) for c in range(rect.c1, rect.c2 + 1)]
        return [[column.get(r) for column in columns] for r in range(rect.r1, rect.r2 + 1)]

    @raw_value.setter
    def raw_value(self, data):
        self._rec("value=", _shape_of(data))
        self._write(data)

    @property
    def formula(self):
        self._rec("formula")
        rect, model = self.rect, self.model
        return [
            [
                model.formulas.get((r, c)) or typed_text(model.value(r, c))
                for c in range(rect.c1, rect.c2 + 1)
            ]
            for r in range(rect.r1, rect.r2 + 1)
        ]

    @formula.setter
    def formula(self, data):
        self._rec("formula=", _shape_of(data))
        self._write(data)

    def _local(self, *, r1c1: bool) -> str:
        rect, app = self.rect, self.sheet.app
        formula = self.model.formulas.get((rect.r1, rect.c1)) or typed_text(
            self.model.value(rect.r1, rect.c1)
        )
        host = (rect.r1, rect.c1)
        return local_formula(formula, language=app.language, r1c1=r1c1, host=host)

    @property
    def FormulaLocal(self):  # noqa: N802 (Excel's COM name)
        self._rec("FormulaLocal")
        return self._local(r1c1=False)

    @property
    def FormulaR1C1Local(self):  # noqa: N802 (Excel's COM name)
        self._rec("FormulaR1C1Local")
        return self._local(r1c1=True)

    def _write(self, data):
        rect = self.rect
        if not isinstance(data, list | tuple):
            data = [[data] * self.shape[1]] * self.shape[0]
        elif data and not isinstance(data[0], list | tuple):
            data = [data]
        for i, row in enumerate(data):
            for j, value in enumerate(row):
                self.model.put(rect.r1 + i, rect.c1 + j, value)

    @property
    def number_format(self):
        self._rec("number_format")
        rect = self.rect
        first = self.model.number_format(rect.r1, rect.c1)
        # Excel answers Null (None) for a range whose cells have different formats.
        for row in range(rect.r1, rect.r2 + 1):
            for col in range(rect.c1, rect.c2 + 1):
                if self.model.number_format(row, col) != first:
                    return None
        return first

    @number_format.setter
    def number_format(self, value):
        self._rec("number_format=", value)
        rect = self.rect
        self.model.formats.append((Rect(rect.r1, rect.c1, rect.r2, rect.c2), value))

    def insert(self, shift=None, copy_origin=None):
        self._rec("insert", shift)
        rect = self.rect
        if not (rect.r1 == 1 and rect.r2 == MAX_ROWS):
            raise NotImplementedError("the grid engine inserts whole columns only")
        self.model.insert_columns(rect.c1, rect.c2 - rect.c1 + 1)

    def select(self):
        self._rec("select")
        book = self.sheet.book_model
        if book.sheets[book.active] is not self.model:
            raise RuntimeError("Select method of Range class failed (sheet not active)")
        self.model.selection = Rect(self.rect.r1, self.rect.c1, self.rect.r2, self.rect.c2)

    def autofit(self, axis=None):
        self._rec("autofit", axis)
        self.model.autofit.append(self.rect.a1())

    @property
    def column_width(self):
        self._rec("column_width")
        widths = {self.model.widths.get(c, 8.43) for c in range(self.rect.c1, self.rect.c2 + 1)}
        return widths.pop() if len(widths) == 1 else None

    @column_width.setter
    def column_width(self, value):
        self._rec("column_width=", value)
        for column in range(self.rect.c1, self.rect.c2 + 1):
            self.model.widths[column] = value

    @property
    def conditional_formats(self):
        return ConditionalFormats(self)

    @property
    def data_validation(self):
        return DataValidation(self)


def _shape_of(data: Any) -> tuple[int, int]:
    if not isinstance(data, list | tuple):
        return (1, 1)
    if data and isinstance(data[0], list | tuple):
        return (len(data), len(data[0]))
    return (1, len(data))


# --- conditional formats, validation, tables, names ----------------------------------------------


class ConditionalFormat(_Recorded, base_classes.ConditionalFormat):
    def __init__(self, sheet: Sheet, rule: RuleModel) -> None:
        self.sheet = sheet
        self.engine = sheet.engine
        self.rule = rule

    def _target(self) -> str:
        return f"rule:{self.rule.rect.a1()}"

    @property
    def api(self):
        return self.rule

    @property
    def type(self):
        self._rec("type")
        return "custom"

    @property
    def formula(self):
        self._rec("formula")
        return self.rule.formula

    @property
    def stop_if_true(self):
        return self.rule.stop_if_true

    def delete(self):
        self._rec("delete")
        self.sheet.model.rules.remove(self.rule)


class ConditionalFormats(_Recorded, base_classes.ConditionalFormats):
    def __init__(self, rng: Range) -> None:
        self.rng = rng
        self.engine = rng.engine

    def _target(self) -> str:
        return f"rules:{self.rng._target()}"

    def _rules(self):
        return [r for r in self.rng.model.rules if r.rect.intersects(self.rng.rect)]

    @property
    def api(self):
        return self._rules()

    def __len__(self):
        self._rec("count")
        return len(self._rules())

    def __iter__(self):
        self._rec("iter")
        for rule in self._rules():
            yield ConditionalFormat(self.rng.sheet, rule)

    def __call__(self, index):
        return ConditionalFormat(self.rng.sheet, self._rules()[index - 1])

    def add_custom(self, spec):
        self._rec("add_custom", spec["formula"])
        model = self.rng.model
        active = model.selection
        rect = self.rng.rect
        rule = RuleModel(
            Rect(rect.r1, rect.c1, rect.r2, rect.c2),
            spec["formula"],
            f"{utils.col_name(active.c1)}{active.r1}",
            spec.get("fill_color"),
            spec.get("font_color"),
            spec.get("font_bold"),
            spec.get("font_italic"),
            spec.get("stop_if_true", False),
        )
        model.rules.insert(0, rule)  # a new rule goes to the top, as in Excel
        return ConditionalFormat(self.rng.sheet, rule)

    def clear(self):
        self._rec("clear")
        for rule in self._rules():
            self.rng.model.rules.remove(rule)


class ValidationApi:
    """The native validation object: the add-in sets ``ShowError`` on it (COM spelling)."""

    def __init__(self, dv: DataValidation) -> None:
        object.__setattr__(self, "_dv", dv)

    def __setattr__(self, name, value):
        dv = self._dv
        dv._rec(f"api.{name}=", value)
        if name != "ShowError":
            raise AttributeError(name)
        found = dv._found()
        if found is None:
            raise RuntimeError("no validation to change")
        found.show_error = bool(value)


class DataValidation(_Recorded, base_classes.DataValidation):
    def __init__(self, rng: Range) -> None:
        self.rng = rng
        self.engine = rng.engine

    def _target(self) -> str:
        return f"validation:{self.rng._target()}"

    def _found(self) -> ValidationModel | None:
        hits = [v for v in self.rng.model.validations if v.rect.intersects(self.rng.rect)]
        if len(hits) == 1 and hits[0].rect.covers(self.rng.rect):
            return hits[0]
        return None

    @property
    def api(self):
        return ValidationApi(self)

    @property
    def type(self):
        self._rec("type")
        hits = [v for v in self.rng.model.validations if v.rect.intersects(self.rng.rect)]
        if not hits:
            return "none"
        found = self._found()
        return found.kind if found else "mixed_criteria"

    @property
    def source(self):
        self._rec("source")
        found = self._found()
        return found.source if found and found.kind == "list" else None

    @property
    def show_error(self):
        found = self._found()
        return found.show_error if found else None

    def set_list(self, source, in_cell_dropdown):
        if isinstance(source, Range):
            formula = f"={source.get_address(True, True, True)}"
        else:
            formula = ",".join(source)
        self._rec("set_list", formula, in_cell_dropdown)
        self.delete()
        rect = self.rng.rect
        self.rng.model.validations.append(
            ValidationModel(
                Rect(rect.r1, rect.c1, rect.r2, rect.c2), "list", formula, in_cell_dropdown
            )
        )

    def set_rule(self, rule_type, operator, formula1, formula2):
        # xlwings' engines hand Formula1 to Validation.Add as is: Excel reads it as the user's.
        self._rec("set_rule", rule_type, operator, formula1, formula2)
        self.delete()
        rect = self.rng.rect
        self.rng.model.validations.append(
            ValidationModel(Rect(rect.r1, rect.c1, rect.r2, rect.c2), rule_type, formula1)
        )

    def delete(self):
        self._rec("delete")
        model = self.rng.model
        model.validations = [v for v in model.validations if not v.rect.intersects(self.rng.rect)]


class Table(_Recorded, base_classes.Table):
    def __init__(self, sheet: Sheet, model: TableModel) -> None:
        self.sheet = sheet
        self.engine = sheet.engine
        self.model = model

    def _target(self) -> str:
        return f"table:{self.model.name}"

    @property
    def api(self):
        return self.model

    @property
    def name(self):
        return self.model.name

    @property
    def parent(self):
        return self.sheet

    @property
    def range(self):
        self._rec("range")
        rect = self.model.rect
        return Range(self.sheet, Rect(rect.r1, rect.c1, rect.r2, rect.c2))

    def resize(self, range):
        self._rec("resize", range.impl.rect.a1())
        rect = range.impl.rect
        self.model.rect = Rect(rect.r1, rect.c1, rect.r2, rect.c2)


class Tables(_Recorded, base_classes.Tables):
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.engine = sheet.engine

    def _target(self) -> str:
        return f"tables:{self.sheet.model.name}"

    @property
    def api(self):
        return self.sheet.model.tables

    def __len__(self):
        self._rec("count")
        return len(self.sheet.model.tables)

    def __iter__(self):
        self._rec("iter")
        for model in list(self.sheet.model.tables):
            yield Table(self.sheet, model)

    def __call__(self, name_or_index):
        tables = self.sheet.model.tables
        if isinstance(name_or_index, int):
            return Table(self.sheet, tables[name_or_index - 1])
        return Table(self.sheet, next(t for t in tables if t.name == name_or_index))


class Name(_Recorded, base_classes.Name):
    def __init__(self, book: Book, name: str) -> None:
        self.book = book
        self.engine = book.engine
        self._name = name

    def _target(self) -> str:
        return f"name:{self._name}"

    @property
    def api(self):
        return self._name

    @property
    def name(self):
        return self._name

    @property
    def refers_to(self):
        self._rec("refers_to")
        return self.book.model.names[self._name]

    @refers_to.setter
    def refers_to(self, value):
        self._rec("refers_to=", value)
        self.book.model.names[self._name] = value

    def delete(self):
        self._rec("delete")
        del self.book.model.names[self._name]


class Names(_Recorded, base_classes.Names):
    def __init__(self, book: Book) -> None:
        self.book = book
        self.engine = book.engine

    def _target(self) -> str:
        return "names"

    @property
    def api(self):
        return self.book.model.names

    def __call__(self, name_or_index):
        self._rec("()", name_or_index)
        names = list(self.book.model.names)
        key = names[name_or_index - 1] if isinstance(name_or_index, int) else name_or_index
        for name in names:
            if name.lower() == str(key).lower():
                return Name(self.book, name)
        raise KeyError(name_or_index)

    def snapshot(self):
        self._rec("snapshot")
        return [(n, Name(self.book, n)) for n in self.book.model.names]

    def contains(self, name_or_index):
        self._rec("contains", name_or_index)
        return any(n.lower() == str(name_or_index).lower() for n in self.book.model.names)

    def __len__(self):
        return len(self.book.model.names)

    def add(self, name, refers_to):
        self._rec("add", name, refers_to)
        self.book.model.names[name] = refers_to
        return Name(self.book, name)


# --- set-up -----------------------------------------------------------------------------------


def install() -> Engine:
    """Register the grid engine with xlwings (once) and make it the active engine."""
    import xlwings as xw
    from xlwings.main import Engine as XwEngine

    if "grid" not in xw.engines.engines_by_name:
        xw.engines.add(XwEngine(impl=Engine()))
    engine = xw.engines["grid"]
    engine.activate()
    return engine.impl


def open_book(
    engine: Engine,
    sheets: dict[str, list[list[Any]]],
    *,  # a cell given as (formula, value) holds a formula and its calculated value
    fullname: str = "Book1",
    names: dict[str, str] | None = None,
) -> Any:
    """Return an xlwings ``Book`` on a new app of ``engine`` holding ``sheets`` (first active)."""
    import xlwings as xw

    app = engine.apps.add()
    models = []
    for title, grid in sheets.items():
        model = SheetModel(title)
        for r, row in enumerate(grid, start=1):
            for c, value in enumerate(row, start=1):
                # The cells as Excel holds them: text stays text, numbers are floats.
                if isinstance(value, tuple):  # (formula, the value Excel calculated)
                    model.formulas[(r, c)] = value[0]
                    model.cells.setdefault(c, {})[r] = value[1]
                elif isinstance(value, str) and value.startswith("="):
                    model.formulas[(r, c)] = value
                elif isinstance(value, str) and value.startswith("'"):  # typed as text
                    model.cells.setdefault(c, {})[r] = value[1:]
                elif value is not None and value != "":
                    if isinstance(value, int) and not isinstance(value, bool):
                        value = float(value)
                    model.cells.setdefault(c, {})[r] = value
        models.append(model)
    name = fullname.replace("\\", "/").rsplit("/", 1)[-1]
    app.books_models.insert(0, BookModel(name, fullname, models, dict(names or {})))
    return xw.Book(impl=Book(app, app.books_models[0]))
