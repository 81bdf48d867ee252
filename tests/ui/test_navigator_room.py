"""The steps pane gets the room its life areas need (s29-look). Its width was set once, as the workspace was made and
before it had the window's width: 300 pixels in any window, so at 16 pt in a usual window (1366×768) the life areas
read "Lärande och att till…", "Mellanmänsk…" and "Förflyttning (2 av 2…" beside a page with room to spare. It is now
as wide as its steps and life areas, where the page beside it keeps its least width (the rest are elided, their
whole text the tooltip: tests/ui/test_navigator_tooltips.py). Opened from the list by keys."""

from __future__ import annotations

from typing import Any

from uihelpers import open_case_by_keys, window_at

WHOLE = ("Lärande och att tillämpa kunskap", "Mellanmänskliga interaktioner och relationer",
         "Förflyttning (2 av 2 delområden bedömda)", "4. Bedömning och förslag till beslut")


def _cut(navigator: Any) -> dict[str, tuple[int, int]]:
    """Each row of ``WHOLE`` shown narrower than its text: (text width with its margin, room)."""
    metrics, cut = navigator.fontMetrics(), {}
    rows = [navigator.topLevelItem(i) for i in range(navigator.topLevelItemCount())]
    rows += [top.child(i) for top in list(rows) for i in range(top.childCount())]
    for row in rows:
        text = row.text(0)
        if text.endswith(WHOLE):
            needed = metrics.horizontalAdvance(text) + metrics.averageCharWidth()  # the cell's margins
            room = navigator.visualItemRect(row).width()
            if needed > room:
                cut[text] = (needed, room)
    return cut


def test_the_life_areas_are_whole_in_the_steps_pane_at_16_points(qtbot: Any, qapp: Any, settings: Any,  # type: ignore[no-untyped-def]
                                                                  demo_profile_dir) -> None:
    window = window_at(qtbot, qapp, settings, demo_profile_dir, (1281, 689), 16)
    navigator = open_case_by_keys(qtbot, window, "DEMO-2026-0001")

    def whole() -> None:  # asserted, so a timeout names the rows cut (on main: each of them, at 300 pixels)
        assert _cut(navigator) == {}

    qtbot.waitUntil(whole)
    page = window.workspace.pages.currentWidget()
    assert not page.horizontalScrollBar().isVisible()  # the page beside it keeps its room
