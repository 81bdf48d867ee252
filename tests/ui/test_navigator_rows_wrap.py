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

from ui.workspace.hyphenation import JOINTS, SOFT_HYPHEN


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
    # The long compounds break at their joints, as Svenska skrivregler ask: "Samhälls-gemenskap", never the
    # syllable guess "Samhällsgemens-kap" (nor "Hus-håll-sar-bete" for an unlisted word).
    painted = {_painted(navigator, row) for top in range(navigator.topLevelItemCount())
               for row in _rows(navigator.topLevelItem(top))}
    hyphenated = {word.split("\u00a0")[-1] for text in painted for word in text.split(" ") if SOFT_HYPHEN in word}
    assert "Samhälls\u00adgemen\u00adskap," in hyphenated, hyphenated  # the state's mark bound to it left out
    assert all(word.replace(SOFT_HYPHEN, "").strip(",").lower() in JOINTS for word in hyphenated), hyphenated


def test_every_long_word_of_the_steps_panes_names_has_its_joints_listed(swedish) -> None:  # type: ignore[no-untyped-def]
    """The life areas' and their ICF categories' names as the pane shows them in Swedish: each word of 13 letters or
    more breaks at joints listed by hand, not at the syllable guess."""
    from ibic.reference import load_reference_data
    from ui.i18n import text_of

    ref = load_reference_data()
    names = [text_of(area) for area in ref.life_areas]
    names += [text_of(sub) for area in ref.life_areas for sub in area.sub_areas]
    words = {word.strip(",.:;()").lower() for name in names for word in name.split()}
    long_words = {word for word in words if len(word) >= 13}
    assert long_words, names  # the names were read
    assert sorted(long_words - set(JOINTS)) == []
