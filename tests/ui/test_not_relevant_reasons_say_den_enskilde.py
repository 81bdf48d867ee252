"""The reasons a life area is marked Ej aktuellt, as the handläggare picks them (session 28's look): two said
"Personen …" where the glossary's word for the person a case is about is "den enskilde" (docs/glossary.md,
"Language: one term per concept"), beside "Den enskildes egen beskrivning" on the same page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from uihelpers import unlock


def test_the_ej_aktuellt_reasons_name_den_enskilde_not_personen(qtbot: Any, demo_window: Any) -> None:
    window = demo_window
    unlock(qtbot, window)
    window.open_case(next(s.case_id for s in window.session.summaries() if s.case_number == "DEMO-2026-0001"))
    qtbot.waitUntil(lambda: window.workspace is not None)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # Gå › 3. Kartläggning av livsområden
    reasons = window.workspace.findChild(QComboBox, "notRelevantReason")
    qtbot.waitUntil(lambda: reasons.isVisible())
    texts = [reasons.itemText(i) for i in range(reasons.count())]
    assert "Den enskilde beskriver inga svårigheter inom området" in texts
    assert "Den enskilde vill inte ta upp området" in texts
    assert [text for text in texts if text.lower().startswith("personen")] == []
