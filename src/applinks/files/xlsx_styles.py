"""The styles part of an annotated workbook: the flags' colours and Text copies of cell formats.

``xl/styles.xml`` is edited as text, so every namespace and extension is kept as it was: the
conditional-formatting rules get their colours as new ``<dxf>`` entries, and the id and link
columns get copies of the cell formats they use with the Text number format.
"""

from __future__ import annotations

import re

from .xlsx_xml import MAIN_NS, insert_before_close, insert_before_first, prefix_of, set_count

TEXT_FORMAT = 49  # the built-in "@" (Text) number format
_STYLES_AFTER_DXFS = ("tableStyles", "colors", "extLst")


def _argb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


#: The styles part Excel writes for a new workbook (one font, the two fills every file has, one
#: border, the Normal style): given to a package without one, whose flags' colours need a part.
DEFAULT_STYLES = (
    '<styleSheet xmlns="{namespace}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


#: A styles part with nothing in it (self-closed, or only white space inside).
_EMPTY = re.compile(
    r"\s*(?:<\?xml[^>]*\?>)?\s*<(\w+:)?styleSheet\b[^>]*?(?:/>|>\s*</\1?styleSheet>)\s*$"
)


class Styles:
    """Edits of styles.xml as text, so every namespace and extension is kept as it was."""

    def __init__(self, text: str | None) -> None:
        self.original = text
        self.new_dxfs: list[str] = []
        self.dxf_base = 0
        self.xf_base = 0
        self.xf_texts: list[str] = []
        self.clones: dict[int, int] = {}
        #: The namespace of a part with nothing in it (its replacement keeps it), else None.
        self.empty_in: str | None = None
        self.prefix = ""
        if text is None:
            return
        empty = _EMPTY.match(text)
        if empty:  # nothing to edit: its new content is written without a prefix
            own = rf'xmlns{":" + empty.group(1)[:-1] if empty.group(1) else ""}="([^"]*)"'
            declared = re.search(own, text)
            self.empty_in = declared.group(1) if declared else MAIN_NS
            return
        self.prefix = prefix_of(text, "styleSheet")
        dxfs = re.search(rf"<{self.prefix}dxfs\b[^>]*?(/>|>(.*?)</{self.prefix}dxfs>)", text, re.S)
        if dxfs and dxfs.group(2):
            self.dxf_base = len(re.findall(rf"<{self.prefix}dxf[\s>/]", dxfs.group(2)))
        xfs = re.search(rf"<{self.prefix}cellXfs\b[^>]*>(.*?)</{self.prefix}cellXfs>", text, re.S)
        if xfs:
            self.xf_texts = _cell_formats(xfs.group(1), self.prefix)
        self.xf_base = len(self.xf_texts)

    def dxf(self, fill: str, font: str) -> int:
        """Add a differential format (font and fill colour); return its index."""
        p = self.prefix
        self.new_dxfs.append(
            f'<{p}dxf><{p}font><{p}color rgb="{_argb(font)}"/></{p}font><{p}fill><{p}patternFill>'
            f'<{p}bgColor rgb="{_argb(fill)}"/></{p}patternFill></{p}fill></{p}dxf>'
        )
        return self.dxf_base + len(self.new_dxfs) - 1

    def text_style(self, style: int) -> int | None:
        """Return the index of a Text copy of cell format ``style`` (None: no styles part)."""
        if self.original is None or not self.xf_texts:
            return None
        if style in self.clones:
            return self.clones[style]
        if style >= self.xf_base:
            style = 0
        if 'numFmtId="49"' in self.xf_texts[style]:
            self.clones[style] = style
            return style
        # Numbered after the copies made so far: a format already Text is its own, no copy.
        self.clones[style] = self.xf_base + sum(c != s for s, c in self.clones.items())
        return self.clones[style]

    def text(self) -> str:
        """Return the styles part with the new cell formats and differential formats (for a
        package that had none, or an empty one, Excel's default styles part with them)."""
        if self.original is None or self.empty_in is not None:
            # openpyxl drops the colours of a styles part without cell formats (and then
            # cannot load the copy): an empty one is given Excel's default content too.
            made = Styles(DEFAULT_STYLES.format(namespace=self.empty_in or MAIN_NS))
            made.new_dxfs = self.new_dxfs
            return made.text()
        text = self.original
        p = self.prefix
        clones = [s for s, c in sorted(self.clones.items(), key=lambda kv: kv[1]) if c != s]
        if clones:
            copies = "".join(_text_xf(self.xf_texts[s]) for s in clones)
            text = insert_before_close(text, f"{p}cellXfs", copies)
            text = set_count(text, f"{p}cellXfs", self.xf_base + len(clones))
        if self.new_dxfs:
            if not re.search(rf"<{p}dxfs[\s>/]", text):
                text = _add_dxfs(text, p)
            text = insert_before_close(text, f"{p}dxfs", "".join(self.new_dxfs))
            text = set_count(text, f"{p}dxfs", self.dxf_base + len(self.new_dxfs))
        return text


def _add_dxfs(text: str, p: str) -> str:
    """Return styles.xml with an empty ``<dxfs>`` where the schema's order puts it."""
    block = f'<{p}dxfs count="0"></{p}dxfs>'
    if f"</{p}styleSheet>" not in text:  # an empty <styleSheet/>: opened, the dxfs inside
        return insert_before_close(text, f"{p}styleSheet", block)
    return insert_before_first(text, p, _STYLES_AFTER_DXFS, block, f"</{p}styleSheet>")


def _cell_formats(xfs: str, p: str) -> list[str]:
    """Return each cell format of ``cellXfs``'s content, in order.

    A format wrapped in ``mc:AlternateContent`` (a writer's extension, with its own namespaces
    declared on ``mc:Choice``) counts once, as Excel counts it; its ``mc:Fallback`` form is
    the one returned (copying the Choice's would leave its prefixes undeclared).
    """
    xf = rf"<{p}xf\b[^>]*?(?:/>|>.*?</{p}xf>)"
    out = []
    for found in re.finditer(rf"<(\w+:)AlternateContent\b.*?</\1AlternateContent>|{xf}", xfs, re.S):
        text = found.group(0)
        if found.group(1):
            fallback = text[text.find("Fallback") :]
            inner = re.search(xf, fallback, re.S) or re.search(xf, text, re.S)
            text = inner.group(0) if inner else f'<{p}xf numFmtId="0"/>'
        out.append(text)
    return out


def _text_xf(xf: str) -> str:
    """Return a copy of a ``<xf>`` cell format with the Text number format."""
    end = xf.find(">")
    self_closing = xf[end - 1] == "/"
    head = xf[: end - 1] if self_closing else xf[:end]
    head = re.sub(r'\s(numFmtId|applyNumberFormat)="[^"]*"', "", head).rstrip()
    head += f' numFmtId="{TEXT_FORMAT}" applyNumberFormat="1"'
    return head + ("/>" if self_closing else xf[end:])
