"""The steps pane measures a row's words for their breaks once per text, width and font (s32-tidy): ``breakable``
ran at every paint of every row, and again for its size hint. A paint with nothing changed measures nothing; a
narrower pane (another width) measures again, and paints the same text the rule gives."""

from __future__ import annotations

from typing import Any

import pytest
from test_navigator_rows_wrap import _painted, _rows
from uihelpers import open_case_by_keys, window_at

from ui.workspace import navigator as navigator_module


def _repainted(navigator: Any) -> None:
    navigator.viewport().grab()  # paints every visible row now


def test_a_repaint_measures_no_word_again_and_a_new_width_does(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_at(qtbot, qapp, settings, demo_profile_dir, (1281, 689), 16)
    navigator = open_case_by_keys(qtbot, window, "DEMO-2026-0001")
    _repainted(navigator)
    measured: list[int] = []
    original = navigator_module.breakable

    def counted(text: str, metrics: Any, width: int) -> str:
        measured.append(width)
        return original(text, metrics, width)

    monkeypatch.setattr(navigator_module, "breakable", counted)
    _repainted(navigator)
    _repainted(navigator)
    assert measured == [], "on main every row's text was measured at each paint"
    wide = navigator.columnWidth(0)
    navigator.setFixedWidth(navigator.width() - 40)  # as a narrower window leaves it
    qtbot.waitUntil(lambda: navigator.columnWidth(0) < wide)
    _repainted(navigator)
    assert measured, "a narrower pane breaks the words anew"
    rows = [row for top in range(navigator.topLevelItemCount()) for row in _rows(navigator.topLevelItem(top))]
    for row in rows:
        index = navigator.indexFromItem(row)
        assert _painted(navigator, row) == original(row.text(0), navigator.fontMetrics(), navigator.text_width(index))
