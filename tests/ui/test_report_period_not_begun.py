"""Rapporter, a period that has not begun (its first day after today), typed by keys in the report's dialog: no day of
it is counted, and the note under the period says so. s32-probe: it said "Perioden slutar efter i dag (2099-12-31):
den räknas till och med i dag (2026-12-07)", a period counted from 2099 up to 2026, above empty tables."""

from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader
from PySide6.QtCore import Qt
from uihelpers import type_text, unlock

from ui.printing.preview import UtredningPreviewDialog

TODAY = date.today()
LOAD_TIMEOUT_MS = 60_000


def _type_day(qtbot, edit, day: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(edit, day)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def _said(start: date) -> str:
    return (f"Perioden har inte börjat: den börjar {start.isoformat()}, efter i dag ({TODAY.isoformat()}). "
            "Ingen dag av den är räknad.")


def test_a_period_after_today_says_none_of_it_is_counted(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    demo_window.reports.actions["kon"].trigger()
    qtbot.waitUntil(lambda: demo_window.reports.dialog is not None and demo_window.reports.dialog.isVisible())
    dialog = demo_window.reports.dialog
    for start in (TODAY + timedelta(days=1), date(2099, 12, 31)):  # a period of one day, its first after today
        _type_day(qtbot, dialog.period_end.edit, start.isoformat())
        _type_day(qtbot, dialog.period_start.edit, start.isoformat())
        assert not dialog.period_error.text()
        assert dialog.period_note.isVisible() and dialog.period_note.text() == _said(start)
    qtbot.keyClick(dialog.pdf_button, Qt.Key.Key_Space)
    preview = dialog.findChild(UtredningPreviewDialog)
    assert preview is not None
    qtbot.waitUntil(lambda: bool(preview._pdf), timeout=LOAD_TIMEOUT_MS)
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(preview._pdf)).pages).split())
    assert _said(date(2099, 12, 31)) in text and "räknas till och med i dag" not in text
    preview.reject()
    _type_day(qtbot, dialog.period_start.edit, TODAY.isoformat())  # today: begun, and ending after today
    _type_day(qtbot, dialog.period_end.edit, (TODAY + timedelta(days=1)).isoformat())
    assert dialog.period_note.text().startswith("Perioden slutar efter i dag")
