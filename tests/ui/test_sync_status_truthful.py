"""Issue 12 finding 7: the sync status tells the truth in every state, from the first unlock on."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from uihelpers import type_text, unlock


def _status(window):  # type: ignore[no-untyped-def]
    widget = window.sync.widget
    return (widget.findChild(QLabel, "syncStateLabel"), widget.findChild(QPushButton, "syncNowButton"),
            widget.findChild(QLabel, "syncPendingLabel"))


def _waiting(n: int) -> str:
    return "1 ändring väntar" if n == 1 else f"{n} ändringar väntar"


def test_the_waiting_count_follows_each_autosave_while_typing(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    _, _, pending = _status(demo_window)
    before = demo_window.session.profile.journal.pending_count()
    case_id = next(s.case_id for s in demo_window.session.summaries() if s.case_number == "DEMO-2026-0002")
    demo_window.open_case(case_id)
    workspace = demo_window.workspace
    workspace.go_to("areas", "d5")
    workspace.area_form.own.setFocus()
    with qtbot.waitSignal(workspace.saved, timeout=5_000):
        type_text(workspace.area_form.own, "första")
    after_first = demo_window.session.profile.journal.pending_count()
    assert after_first > before
    assert pending.isVisibleTo(demo_window) and pending.text() == _waiting(after_first)
    workspace.go_to("areas", "d6")  # another life area: another field waiting (the count is of changed fields)
    workspace.area_form.own.setFocus()
    with qtbot.waitSignal(workspace.saved, timeout=5_000):
        type_text(workspace.area_form.own, "andra")
    after_second = demo_window.session.profile.journal.pending_count()
    assert after_second > after_first and pending.text() == _waiting(after_second)


def _closing_the_next_dialog(found: list[object]) -> None:
    """Close the modal dialog the next step opens, once it shows, and note what it was."""
    def close() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, close)  # not shown yet: look again on the next turn of the event loop
            return
        found.append(dialog)
        dialog.reject()

    QTimer.singleShot(0, close)


def test_never_connected_says_so_and_the_button_and_ctrl_shift_s_offer_to_connect(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    from ui.sync.enrollment_dialog import EnrollmentDialog

    unlock(qtbot, demo_window)
    state, button, _ = _status(demo_window)
    assert state.text() == "Inte ansluten"
    assert button.text() == "Anslut…" and button.isEnabled()
    assert button.accessibleName() == "Anslut till synkservern"
    opened: list[object] = []
    _closing_the_next_dialog(opened)
    qtbot.keyClick(demo_window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(opened) == 1 and isinstance(opened[0], EnrollmentDialog)
    _closing_the_next_dialog(opened)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(opened) == 2 and isinstance(opened[1], EnrollmentDialog)
    assert demo_window.sync.controller.running is False  # no sync was started that could only fail
    assert "kod från IT" not in demo_window.statusBar().currentMessage()
    assert state.text() == "Inte ansluten"


def test_every_state_reads_in_swedish_with_real_plural_forms(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from ui.sync.status import SyncStatus

    unlock(qtbot, demo_window)
    widget = demo_window.sync.widget
    state, button, pending = _status(demo_window)
    conflicts = widget.findChild(QPushButton, "syncConflictsButton")
    aside = widget.findChild(QLabel, "syncNotReceivedLabel")
    widget.set_status(SyncStatus(state="offline", pending=1))
    assert (state.text(), pending.text(), button.text()) == ("Ingen anslutning", "1 ändring väntar", "Synkronisera")
    widget.set_status(SyncStatus(state="syncing", progress_done=40, progress_total=120, pending=2))
    assert state.text() == "Synkroniserar… 40 av 120" and pending.text() == "2 ändringar väntar"
    assert not button.isEnabled()
    synced = datetime(2026, 12, 3, 9, 5, tzinfo=UTC)
    widget.set_status(SyncStatus(state="idle", last_synced_at=synced, conflicts=1, not_received=2,
                                 not_received_reason="text_too_long"))
    assert state.text() == "Synkroniserad kl. " + synced.astimezone().strftime("%H:%M") and button.isEnabled()
    assert conflicts.isVisibleTo(demo_window) and conflicts.text() == "1 konflikt"
    assert not pending.isVisibleTo(demo_window)
    assert aside.text().startswith("2 ärenden kunde inte tas emot: ")
    widget.set_status(SyncStatus(state="idle", last_synced_at=synced, conflicts=3))
    assert conflicts.text() == "3 konflikter" and not aside.isVisibleTo(demo_window)
    for shown in (state.text(), pending.text(), conflicts.text()):
        assert "(" not in shown  # no bracketed plurals such as "ändring(ar)"
