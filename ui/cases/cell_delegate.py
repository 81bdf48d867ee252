"""Painting a list's cells in one Python call each, for the case list and the work list (issue 14: one frame).

Qt's own delegate asks the model for about seven roles a cell (each a call into Python) and lays every text out
again with QTextLayout; at 50,000 cases a repaint of the visible cells was most of a keystroke's frame. This
delegate asks the model once a cell for its text, background and text colour (``PaintedCell``), draws the text
from a laid-out ``QStaticText`` kept per text and width (elided at the right as before), and draws the selection
and the focus frame with the palette's colours, so the look and the contrast (``ui/palette.py``) stay as they were.
Accessibility and tooltips still read the model's ``data``: only painting takes this path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionFocusRect, QStyleOptionViewItem, QWidget

Index = QModelIndex | QPersistentModelIndex
# (text, background or None, text colour or None) of the cell at (row, column).
PaintedCell = Callable[[int, int], tuple[str, QBrush | None, QColor | None]]
_LAID_OUT = 4096  # texts kept laid out: a few screens of cells at a few column widths
# The state as a plain int: a Python enum flag's ``&`` costs more than the rest of a cell's painting.
_SELECTED, _FOCUS = QStyle.StateFlag.State_Selected.value, QStyle.StateFlag.State_HasFocus.value
_ACTIVE, _ENABLED = QStyle.StateFlag.State_Active.value, QStyle.StateFlag.State_Enabled.value
_ROLE = QPalette.ColorRole
_GROUPS = {(True, True): QPalette.ColorGroup.Active, (True, False): QPalette.ColorGroup.Inactive,
           (False, True): QPalette.ColorGroup.Disabled, (False, False): QPalette.ColorGroup.Disabled}
_HIGHLIGHT, _HIGHLIGHTED_TEXT, _TEXT = _ROLE.Highlight, _ROLE.HighlightedText, _ROLE.Text
_GROUP_BITS = _ENABLED | _ACTIVE  # what picks the colour group
_PALETTES = 16  # (palette, group) pairs whose colours are kept: a table shows one or two


class CellDelegate(QStyledItemDelegate):
    """Paints ``cell(row, column)``'s text elided at the right, vertically centred, as Qt's delegate does."""

    def __init__(self, cell: PaintedCell, parent: QWidget) -> None:
        super().__init__(parent)
        self._cell = cell
        self._font: QFont | None = None  # set at the first paint, with the margin the view's style gives
        self._metrics = QFontMetrics(QFont())
        self._text_height = self._metrics.height()
        self._margin = 0
        self._laid_out: dict[tuple[str, int], QStaticText] = {}
        # (palette's cache key, enabled and active bits) -> (selection brush, its text, text colour, colour group)
        self._colours: dict[tuple[int, int], tuple[QBrush, QColor, QColor, QPalette.ColorGroup]] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        # Called for every visible cell of every repaint (about 150 a frame): each attribute read and Qt call here
        # costs a frame's worth at the end, so what is the same for every cell is looked up once and kept.
        text, background, colour = self._cell(index.row(), index.column())
        rect = option.rect
        state = option.state.value  # the Python enum flag once; plain int tests after
        colours = self._colours.get((option.palette.cacheKey(), state & _GROUP_BITS))
        if colours is None:
            colours = self._palette_colours(option.palette, state)
        if state & _SELECTED:
            painter.fillRect(rect, colours[0])
            colour = colours[1]
        else:
            if background is not None:
                painter.fillRect(rect, background)
            if colour is None:
                colour = colours[2]
        if text:
            font = option.font
            if self._font is None or font != self._font:  # the first paint, or the text size setting changed
                self._use_font(font, option)
            x, y, width, height = cast(tuple[int, int, int, int], rect.getRect())  # one call for the four
            margin = self._margin
            width -= 2 * margin
            static = self._laid_out.get((text, width))
            if static is None:
                static = self._static(text, width)
            painter.setPen(colour)
            painter.drawStaticText(QPointF(x + margin, y + (height - self._text_height) / 2), static)
        if state & _FOCUS:
            self._focus_frame(painter, option, colours[3])

    def _palette_colours(self, palette: QPalette, state: int) -> tuple[QBrush, QColor, QColor, QPalette.ColorGroup]:
        """The selection's brush, its text colour, the text colour and the colour group of a palette and state."""
        group = _GROUPS[bool(state & _ENABLED), bool(state & _ACTIVE)]
        if len(self._colours) >= _PALETTES:
            self._colours.clear()
        colours = self._colours[(palette.cacheKey(), state & _GROUP_BITS)] = (
            palette.brush(group, _HIGHLIGHT), palette.color(group, _HIGHLIGHTED_TEXT), palette.color(group, _TEXT),
            group)
        return colours

    def _use_font(self, font: QFont, option: QStyleOptionViewItem) -> None:
        self._font, self._metrics = QFont(font), QFontMetrics(font)
        self._text_height = self._metrics.height()
        widget = option.widget
        style = widget.style() if widget is not None else None
        # QCommonStyle's text margin in an item view: the focus frame's margin plus one, on each side.
        self._margin = (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) if style else 2) + 1
        self._laid_out.clear()

    def _static(self, text: str, width: int) -> QStaticText:
        key = (text, width)
        static = self._laid_out.get(key)
        if static is None:
            if len(self._laid_out) >= _LAID_OUT:
                self._laid_out.clear()
            shown = self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(width, 0))
            static = self._laid_out[key] = QStaticText(shown)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(font=self._font or QFont())  # set by the paint that asks
        return static

    def forget(self) -> None:
        """Drop the laid-out texts (names, personnummer): the window locked."""
        self._laid_out.clear()

    def _focus_frame(self, painter: QPainter, option: QStyleOptionViewItem, group: QPalette.ColorGroup) -> None:
        widget: Any = option.widget
        if widget is None:
            return
        frame = QStyleOptionFocusRect()
        frame.initFrom(widget)
        frame.rect = option.rect
        frame.state = option.state | QStyle.StateFlag.State_KeyboardFocusChange | QStyle.StateFlag.State_Item
        selected = option.state.value & _SELECTED
        frame.backgroundColor = option.palette.color(group, _ROLE.Highlight if selected else _ROLE.Window)
        widget.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, frame, painter, widget)
