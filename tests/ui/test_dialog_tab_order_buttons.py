"""Issue 12 finding 2 for dialogs opened by buttons (test_dialog_tab_order.py walks those the menus open): each is
opened by its button or key as a person would, then walked once round with Tab by the same walk; each next focus
must be at or below, or on the same row right of, the previous one. The conflict dialog, opened from the status
bar, is walked in tests/sync/test_conflict_dialog_tab_order.py (it needs a real server for a real conflict)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from test_dialog_tab_order import _walk
from test_keyboard_only import give_back_activation, in_dialog, press, shortcut, tab_to, write
from test_restore_backup import _flip
from test_sub_areas import _open_case
from uihelpers import PASSPHRASE, unlock

from storage.layout import database_path
from storage.profile import unlock_profile


def walked(qtbot: Any, kind: str, open_it: Callable[[], None], before: Callable[[QWidget], None] | None = None,
           ) -> list[str]:
    """Open the dialog of ``kind`` by ``open_it`` (keys), do ``before`` in it, walk it with Tab, close it."""
    problems: list[str] = []

    def body(dialog: QWidget) -> None:
        if before is not None:
            before(dialog)
        problems.extend(_walk(dialog))  # type: ignore[arg-type]
        problems.append("walked")
        assert isinstance(dialog, QDialog)
        dialog.reject()

    in_dialog(qtbot, kind, open_it, body)
    assert problems[-1:] == ["walked"], f"{kind} was not walked"
    return problems[:-1]


def test_the_request_for_underlag_opened_from_uppfoljning_is_tabbed_in_reading_order(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    _open_case(qtbot, demo_window, "DEMO-2025-0117")  # a follow-up of a decision in force
    shortcut("Ctrl+6")
    tab_to("followUpUnderlag")
    assert walked(qtbot, "underlagDialog", lambda: press(Qt.Key.Key_Space)) == []


def test_ny_arende_with_a_known_person_chosen_is_tabbed_in_reading_order(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)

    def choose_tolvan(dialog: QWidget) -> None:
        write("tolvan")
        press(Qt.Key.Key_Down)  # to the people already known
        press(Qt.Key.Key_Return)  # chosen: the note and "Öppna deras ärende" show, the person's fields locked
        qtbot.waitUntil(lambda: dialog.findChild(QWidget, "openExistingCase").isVisible())

    assert walked(qtbot, "newCaseDialog", lambda: shortcut("Ctrl+N"), choose_tolvan) == []


def test_the_confirmation_before_saving_the_draft_as_pdf_is_tabbed_in_reading_order(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    _open_case(qtbot, demo_window, "DEMO-2026-0001")
    problems: list[str] = []

    def in_preview(preview: QWidget) -> None:
        qtbot.waitUntil(lambda: preview.save_button.isEnabled(), timeout=30_000)  # type: ignore[attr-defined]
        tab_to("savePdfButton")
        problems.extend(walked(qtbot, "QMessageBox", lambda: press(Qt.Key.Key_Space)))
        give_back_activation(qtbot, preview)
        press(Qt.Key.Key_Escape)

    in_dialog(qtbot, "utredningPreviewDialog", lambda: shortcut("Ctrl+P"), in_preview)
    assert problems == []


def test_the_question_before_restoring_a_backup_is_tabbed_in_reading_order(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
) -> None:
    unlock_profile(demo_profile_dir, PASSPHRASE).lock()  # its first unlock makes the backup
    _flip(database_path(demo_profile_dir), 1000)  # the file no longer opens
    panel = demo_window.unlock_panel
    write(PASSPHRASE)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.restore_button.isVisible(), timeout=20_000)
    tab_to("restoreButton")
    assert walked(qtbot, "QMessageBox", lambda: press(Qt.Key.Key_Space)) == []
    assert demo_window.session is None, "the question was answered Cancel: nothing restored"


def test_the_uppdrag_preview_opened_from_uppfoljning_is_tabbed_in_reading_order(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    _open_case(qtbot, demo_window, "DEMO-2025-0117")
    shortcut("Ctrl+6")
    tab_to("previewOrderButton")
    assert walked(qtbot, "utredningPreviewDialog", lambda: press(Qt.Key.Key_Space)) == []


def test_connecting_from_the_status_bar_is_tabbed_in_reading_order(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    button = demo_window.statusBar().findChild(QWidget, "syncNowButton")
    qtbot.waitUntil(button.isVisible)  # never connected: "Anslut…"
    assert walked(qtbot, "enrollmentDialog", lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton)) == []


def unsaved_on_a_full_disk(qtbot: Any, window: Any, monkeypatch: Any) -> Any:
    """Unlocked, a case open on its life areas, and a letter typed that cannot be saved (the disk is full): the
    workspace, whose change is saved once ``monkeypatch.undo()`` gives the disk room again."""
    from storage.errors import DiskFull

    unlock(qtbot, window)
    workspace = _open_case(qtbot, window, "DEMO-2026-0002")
    shortcut("Ctrl+3")
    tab_to("ownDescription")
    monkeypatch.setattr(workspace.session, "save", lambda *_: (_ for _ in ()).throw(DiskFull()))
    write("x")
    return workspace


def test_the_warning_before_closing_with_unsaved_changes_is_tabbed_in_reading_order(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch
) -> None:
    workspace = unsaved_on_a_full_disk(qtbot, demo_window, monkeypatch)
    assert workspace.has_unsaved_changes
    assert walked(qtbot, "QMessageBox", lambda: shortcut("Ctrl+Q")) == []
    assert demo_window.isVisible(), "Avbryt keeps the window open"
    with qtbot.waitSignal(workspace.saved, timeout=10_000):
        monkeypatch.undo()  # room on the disk again: the retry stores the change, so the window closes after
