"""The grid engine of tests/ribbon_actions, held to what xlwings Lite supports.

xlwings Lite runs xlwings' remote engine inside Excel (xlwings/pro/_xlremote.py); the members
marked "Requires xlwings Lite" in xlwings' own docstrings (main.py) are its on-demand reads.
This variant of the in-memory grid raises on every member a Lite script cannot use the way the
desktop does, so a script that strays fails here:

- reading cell values, number formats or formulas synchronously (Lite's loaded values do not
  follow the script's own writes; number formats and formulas are not loaded at all): use
  ``await get_value()``, ``await get_number_format()``, ``await get_formula()``;
- the selection without ``await book.app.get_selection()``; message boxes (``alert``),
  screen updating, calculation and the status bar; selecting a cell; ``autofit``; data
  validation (Lite cannot turn its error alert off); the application's native ``api``.

A Table's size is the one loaded when the script started (Lite does not update it after a
column insert); :func:`load` takes it, as Lite does when a script starts.

A conditional format's relative references are read from the top-left cell of its range, as
Office.js does (the desktop engine reads them from the active cell).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from xlwings import utils
from xlwings.conversion.standard import ReadValueFromRangeStage

from ..ribbon_actions import grid_engine
from ..ribbon_actions.grid_engine import Rect, RuleModel

#: The desktop classes, kept: within :func:`lite` the module's names point at the variants.
GridRange, GridApp, GridSheet, GridTable = (
    grid_engine.Range,
    grid_engine.App,
    grid_engine.Sheet,
    grid_engine.Table,
)


class NotInLite(NotImplementedError):
    """A member of the desktop object model that xlwings Lite does not offer."""


def _refuse(member: str, instead: str = "") -> Any:
    def refuse(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotInLite(f"{member} is not available in xlwings Lite{instead}")

    return refuse


class _ReadNow:
    """The read stage of ``await rng.get_value()``: the cells as they are now."""

    async def __call__(self, c: Any) -> None:
        if c.range is not None:
            c.value = GridRange.raw_value.fget(c.range.impl)


class LiteRange(GridRange):
    raw_value = property(
        _refuse("Reading Range.value", "; use await rng.get_value()"),
        GridRange.raw_value.fset,
    )
    formula = property(
        _refuse("Reading Range.formula", "; use await rng.get_formula()"),
        GridRange.formula.fset,
    )
    number_format = property(
        _refuse("Reading Range.number_format", "; use await rng.get_number_format()"),
        GridRange.number_format.fset,
    )
    data_validation = property(_refuse("Range.data_validation"))
    select = _refuse("Range.select()")
    autofit = _refuse("Range.autofit()")

    def insert(self, shift: Any = None, copy_origin: Any = None) -> None:
        # The remote engine's own checks (xlwings/pro/_xlremote.py, Range.insert).
        if shift not in ("down", "right") or copy_origin not in (
            "format_from_left_or_above",
            "format_from_right_or_below",
        ):
            raise NotInLite(f"Range.insert(shift={shift!r}, copy_origin={copy_origin!r})")
        super().insert(shift, copy_origin)

    def get_async_pipeline_overrides(self, options: Any) -> dict:
        return {ReadValueFromRangeStage: _ReadNow()}

    async def get_number_format(self) -> Any:
        return GridRange.number_format.fget(self)

    async def get_formula(self) -> Any:
        return GridRange.formula.fget(self)

    async def get_conditional_formats(self) -> Any:
        return grid_engine.ConditionalFormats(self)

    @property
    def conditional_formats(self) -> Any:
        return LiteConditionalFormats(self)


class LiteConditionalFormats(grid_engine.ConditionalFormats):
    def add_custom(self, spec: dict) -> Any:
        self._rec("add_custom", spec["formula"])
        rect = self.rng.rect
        rule = RuleModel(
            Rect(rect.r1, rect.c1, rect.r2, rect.c2),
            spec["formula"],
            f"{utils.col_name(rect.c1)}{rect.r1}",  # Office.js: the range's top-left cell
            spec.get("fill_color"),
            spec.get("font_color"),
            spec.get("font_bold"),
            spec.get("font_italic"),
            spec.get("stop_if_true", False),
        )
        self.rng.model.rules.insert(0, rule)
        return grid_engine.ConditionalFormat(self.rng.sheet, rule)


class LiteApp(GridApp):
    selection = property(_refuse("App.selection", "; use await book.app.get_selection()"))
    alert = _refuse("App.alert()", "; print the message instead")
    api = property(_refuse("App.api"))
    screen_updating = property(_refuse("App.screen_updating"), _refuse("App.screen_updating"))
    calculation = property(_refuse("App.calculation"), _refuse("App.calculation"))
    status_bar = property(_refuse("App.status_bar"), _refuse("App.status_bar"))

    async def get_selection(self) -> Any:
        return GridApp.selection.fget(self)


class LiteSheet(GridSheet):
    autofit = _refuse("Sheet.autofit()")
    select = _refuse("Sheet.select()")


class LiteTable(GridTable):
    """A Table whose size is the one loaded when the script started (:func:`load`)."""

    @property
    def range(self) -> Any:
        self._rec("range")
        rect = getattr(self.model, "loaded", self.model.rect)
        return grid_engine.Range(self.sheet, Rect(rect.r1, rect.c1, rect.r2, rect.c2))


def load(book: Any) -> None:
    """Take what Lite loads when a script starts: here, the size of every Table."""
    for sheet in book.impl.model.sheets:
        for table in sheet.tables:
            rect = table.rect
            table.loaded = Rect(rect.r1, rect.c1, rect.r2, rect.c2)


@contextmanager
def lite() -> Iterator[None]:
    """Within the block, new books and every range are the xlwings Lite variants."""
    grid_engine.Range, grid_engine.App, grid_engine.Sheet = LiteRange, LiteApp, LiteSheet
    grid_engine.Table = LiteTable
    try:
        yield
    finally:
        grid_engine.Range, grid_engine.App, grid_engine.Sheet = GridRange, GridApp, GridSheet
        grid_engine.Table = GridTable
