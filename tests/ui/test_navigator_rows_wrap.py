"""The steps pane's rows are whole at 16 pt on 1366×768 (s30-look). There the page beside it keeps its least width
and the pane is narrower than its longest rows: "Personligt stöd från person som vårdar eller stödjer en
närstående", "Samhällsgemenskap, socialt och medborgerligt liv", "Utbildning, arbete, sysselsättning och ekonomiskt
liv" and a delområde were cut to one line, whole only in their tooltips. They now wrap onto as many lines as they
need. Opened from the list by keys."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTreeWidgetItem
from uihelpers import open_case_by_keys, window_at


def _rows(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = [child for i in range(item.childCount()) if (child := item.child(i)) is not None]
    return [item, *(row for child in children for row in _rows(child))]


def _painted(navigator: Any, row: QTreeWidgetItem) -> str:
    """The text the pane paints for ``row`` (its delegate's: with the soft hyphens a word too wide is given)."""
    option = QStyleOptionViewItem()
    option.initFrom(navigator)
    navigator.itemDelegate().initStyleOption(option, navigator.indexFromItem(row))
    return option.text


def _cut(navigator: Any) -> dict[str, tuple[int, int]]:
    """Each row whose painted text, wrapped at its row's width (less the cell's margins), is taller than the row or
    wider than it (a word that does not break, which Qt ends in "…"): (height needed, the row's height)."""
    metrics, cut = navigator.fontMetrics(), {}
    style = navigator.style()  # the cell's text margins, both sides, as QCommonStyle lays an item's text out
    margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, navigator) + 1)
    for top in range(navigator.topLevelItemCount()):
        for row in _rows(navigator.topLevelItem(top)):
            rect = navigator.visualItemRect(row)
            text_rect = QRect(0, 0, rect.width() - margin, 10_000)
            needed = metrics.boundingRect(text_rect, int(Qt.TextFlag.TextWordWrap), _painted(navigator, row))
            if needed.height() > rect.height() or needed.width() > text_rect.width():
                cut[row.text(0)] = (needed.height(), rect.height())
    return cut


def _navigator_at(qtbot: Any, qapp: Any, settings: Any, profile: Any, size: tuple[int, int]) -> Any:
    return open_case_by_keys(qtbot, window_at(qtbot, qapp, settings, profile, size, 16), "DEMO-2026-0001")


def _whole(qtbot: Any, navigator: Any) -> None:
    def whole() -> None:  # asserted, so a timeout names the rows cut
        assert _cut(navigator) == {}

    qtbot.waitUntil(whole)
    assert not navigator.horizontalScrollBar().isVisible()


def test_the_steps_panes_rows_wrap_whole_on_1366x768_at_16_points(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir
) -> None:
    _whole(qtbot, _navigator_at(qtbot, qapp, settings, demo_profile_dir, (1281, 689)))


def test_the_steps_panes_rows_are_whole_in_the_narrowest_window_at_20_points(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir, laptop_screen
) -> None:
    """s31-menus: there a life area's row had room for 232 pixels, and "○ Samhällsgemenskap," (320),
    "○ Mellanmänskliga" and "○ Kommunikation" were cut to "…": a word wider than its row is hyphenated."""
    window = window_at(qtbot, qapp, settings, demo_profile_dir, (300, 300), 20)
    navigator = open_case_by_keys(qtbot, window, "DEMO-2026-0001")
    qtbot.waitUntil(lambda: window.width() == window.minimumSizeHint().width())  # the narrowest the app allows
    _whole(qtbot, navigator)
