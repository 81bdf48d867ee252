"""A laptop put to sleep unlocked is locked when it wakes (ui/idle.py): Qt's timers stand still while it sleeps.

The sleep is played by moving the clock that counts it (``ui.idle.sleep_counting_seconds``) ahead by more than the
idle minutes while Qt's monotonic timers see no time pass, as on a laptop whose lid was closed and opened again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_idle_lock import _open_first_area
from uihelpers import type_text, unlock, walk_texts

from ui import idle
from ui.settings import IDLE_LOCK_MINUTES

TYPED = "Skrivet före locket stängdes"


def _sleep_clock(monkeypatch):  # type: ignore[no-untyped-def]
    """The clock that counts sleep, and a function that lets ``minutes`` of sleep pass on it."""
    real = idle.sleep_counting_seconds
    slept = [0.0]
    monkeypatch.setattr(idle, "sleep_counting_seconds", lambda: real() + slept[0])

    def sleep(minutes: float) -> None:
        slept[0] += minutes * 60

    return sleep


def _typing_in_a_life_area(qtbot, window):  # type: ignore[no-untyped-def]
    """Unlocked, the first case's life area open and its own description focused."""
    unlock(qtbot, window)
    field = _open_first_area(qtbot, window).area_form.own
    field.setFocus()
    return field


def test_waking_from_sleep_locks_without_a_key(qtbot, demo_window, monkeypatch):  # type: ignore[no-untyped-def]
    sleep = _sleep_clock(monkeypatch)
    window = demo_window
    type_text(_typing_in_a_life_area(qtbot, window), TYPED)
    minutes = window.settings.get(IDLE_LOCK_MINUTES)
    assert window.idle.remaining_ms() > 30_000  # the monotonic timer is far from its end: only the sleep counts

    sleep(minutes + 1)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        pass  # within the guard's interval (2 s), no input needed
    assert TYPED not in " ".join(walk_texts(window))
    unlock(qtbot, window)
    assert TYPED in window.workspace.area_form.own.toPlainText()


def test_the_first_key_after_waking_locks_and_is_not_typed(qtbot, demo_window, monkeypatch):  # type: ignore[no-untyped-def]
    sleep = _sleep_clock(monkeypatch)
    window = demo_window
    field = _typing_in_a_life_area(qtbot, window)
    type_text(field, TYPED)
    qtbot.waitUntil(lambda: window.idle.looking)  # the lid is closed after the typing's turn of the event loop

    sleep(window.settings.get(IDLE_LOCK_MINUTES) + 1)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(field, Qt.Key.Key_X)  # delivered before the guard looks: the key itself asks for the lock
    unlock(qtbot, window)
    assert window.workspace.area_form.own.toPlainText().endswith(TYPED)  # the key was not typed into the case


def test_a_shortcut_after_waking_locks_and_does_not_act(qtbot, demo_window, monkeypatch):  # type: ignore[no-untyped-def]
    """Qt gives a shortcut's key press to the shortcut before any filter sees it: Ctrl+E after waking showed the
    case list (the lock came after it) and the unlock then returned to the list, not to the case."""
    sleep = _sleep_clock(monkeypatch)
    window = demo_window
    field = _typing_in_a_life_area(qtbot, window)
    type_text(field, TYPED)
    qtbot.waitUntil(lambda: window.idle.looking)

    sleep(window.settings.get(IDLE_LOCK_MINUTES) + 1)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    unlock(qtbot, window)
    assert window.stack.currentWidget() is window.workspace, "the unlock returns to the case, where the lid closed"
    assert window.workspace.area_form.own.toPlainText().endswith(TYPED)


def test_a_short_sleep_keeps_the_session(qtbot, demo_window, monkeypatch):  # type: ignore[no-untyped-def]
    sleep = _sleep_clock(monkeypatch)
    window = demo_window
    field = _typing_in_a_life_area(qtbot, window)
    qtbot.waitUntil(lambda: window.idle.looking)  # the Enter that opened the case has had its turn of the loop
    sleep(window.settings.get(IDLE_LOCK_MINUTES) / 2)
    type_text(field, "x")  # counts as activity: the idle time starts again on both clocks
    sleep(window.settings.get(IDLE_LOCK_MINUTES) * 3 / 4)
    with qtbot.waitSignal(window.idle.guard_timer.timeout, timeout=10_000):
        pass  # the guard has looked at the clock (its check runs before this wait's slot)
    assert window.session is not None
    assert field.toPlainText().endswith("x")
