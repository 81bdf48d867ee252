"""A field showing a text the model refused (too long for ibic.limits, an impossible date) survives a lock (Ctrl+L,
the idle lock): kept in memory, never on screen, and the unlock types it back into its field on the same case and
life area with its message, so the person can shorten it. Before, the lock dropped it silently."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from uihelpers import paste, type_text, unlock, walk_texts

from ibic.limits import LONG_TEXT_MAX
from ui.common.fields import ErrorLabel

MARKER = "Kvarglömd text. "
TOO_LONG = MARKER * (LONG_TEXT_MAX // len(MARKER) + 1)
TOO_LONG_MESSAGE = "Texten är för lång: högst 200\u00a0000 tecken."


def _keys(qtbot: Any, window: Any, key: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def _holds(widget: Any, text: str) -> bool:
    """Whether the field holds ``text`` (a bool: pytest's diff of two 200,000-character strings takes minutes)."""
    return bool(widget.toPlainText() == text)


def _shown_errors(page: QWidget) -> list[str]:
    return [label.text() for label in page.findChildren(ErrorLabel) if label.isVisible() and label.text()]


def _too_long_in_an_area(qtbot: Any, window: Any) -> Any:
    unlock(qtbot, window)
    window.open_case(window.case_list.model.summary(0).case_id)
    workspace = window.workspace
    workspace.go_to("areas", "d5")
    paste(qtbot, workspace.area_form.own, TOO_LONG)
    assert _shown_errors(workspace.area_form) == [TOO_LONG_MESSAGE]
    return workspace


def test_ctrl_l_keeps_a_refused_text_off_screen_and_the_unlock_puts_it_back_with_a_message(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _too_long_in_an_area(qtbot, demo_window)
    case_id = workspace.opened.case.id
    with qtbot.waitSignal(demo_window.locked, timeout=5_000):
        _keys(qtbot, demo_window, Qt.Key.Key_L)
    assert MARKER.strip() not in " ".join(walk_texts(demo_window))
    unlock(qtbot, demo_window)
    workspace = demo_window.workspace
    assert workspace.opened.case.id == case_id and workspace.area_form.heading.text() == "Personlig vård"
    form = workspace.area_form
    assert _holds(form.own, TOO_LONG)
    assert _shown_errors(form) == [TOO_LONG_MESSAGE]
    paste(qtbot, form.own, TOO_LONG[:LONG_TEXT_MAX])  # shortened: stored, the message gone
    assert _shown_errors(form) == []
    assert workspace.save_now()
    stored = workspace.session.profile.cases.load(case_id).investigation.assessment_for("d5")
    assert stored is not None and stored.own_description == TOO_LONG[:LONG_TEXT_MAX]


def test_the_idle_lock_keeps_an_impossible_date_and_the_unlock_puts_it_back(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    demo_window.open_case(demo_window.case_list.model.summary(0).case_id)
    page = demo_window.workspace.case_page
    field = page.findChild(QWidget, "applicationReceivedOn")
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(field, "2026-02-30")
    assert _shown_errors(page) == ["Datumet finns inte. Skriv det som ÅÅÅÅ-MM-DD."]
    demo_window.idle.set_interval_ms(200)
    demo_window.idle.start()
    with qtbot.waitSignal(demo_window.locked, timeout=5_000):
        pass
    assert "2026-02-30" not in " ".join(walk_texts(demo_window))
    unlock(qtbot, demo_window)
    page = demo_window.workspace.case_page
    assert page.findChild(QWidget, "applicationReceivedOn").text() == "2026-02-30"
    assert _shown_errors(page) == ["Datumet finns inte. Skriv det som ÅÅÅÅ-MM-DD."]
