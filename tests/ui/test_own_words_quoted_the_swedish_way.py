"""What is applied for, in the person's own words, on the case page (session 28's look): quoted “…” as in English,
where the printed utredning and the rest of the Swedish screen quote ”…”."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from uihelpers import unlock


def test_the_applied_for_list_quotes_the_persons_words_the_swedish_way(qtbot: Any, demo_window: Any) -> None:
    window = demo_window
    unlock(qtbot, window)
    window.open_case(next(s.case_id for s in window.session.summaries() if s.case_number == "DEMO-2026-0001"))
    qtbot.waitUntil(lambda: window.workspace is not None)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # Gå › 1. Ärendet
    listing = window.workspace.findChild(QListWidget, "applicationItemsList")
    qtbot.waitUntil(lambda: listing.isVisible() and listing.count() > 0)
    rows = [listing.item(i).text() for i in range(listing.count())]
    assert "Hemtjänst – serviceinsatser: ”Jag orkar inte städa och handla själv längre.”" in rows
    assert not any("“" in row for row in rows)
