"""A damaged profile file: the window offers the newest intact backup, restores it with the passphrase, and opens."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from uihelpers import PASSPHRASE, answer_question, type_text, unlock

from ibic.demo import demo_cases
from storage.backups import list_backups
from storage.layout import database_path
from storage.profile import unlock_profile

PAGE = 4096


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def demo_profile_dir(demo_profile_dir: Path) -> Path:
    """The demo profile (tests/ui/conftest.py) with one backup of it: its first unlock makes one."""
    unlock_profile(demo_profile_dir, PASSPHRASE).lock()
    assert len(list_backups(demo_profile_dir)) == 1
    return demo_profile_dir


def _restore(qtbot, main, answer=QMessageBox.StandardButton.Yes) -> None:  # type: ignore[no-untyped-def]
    panel = main.unlock_panel
    answer_question(answer)
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)


def test_a_profile_damaged_at_unlock_is_restored_from_its_backup(qtbot, demo_window, demo_profile_dir):  # type: ignore[no-untyped-def]
    main, panel = demo_window, demo_window.unlock_panel
    database = database_path(demo_profile_dir)
    _flip(database, 1000)  # the first page: the file no longer opens at all
    damaged = database.read_bytes()
    assert not panel.restore_button.isVisible()
    type_text(panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.restore_button.isVisible(), timeout=20_000)
    assert "Profilfilen är skadad" in panel.error.text()
    assert "säkerhetskopian" in panel.restore_note.text() and main.session is None

    _restore(qtbot, main, QMessageBox.StandardButton.Cancel)  # a second thought: nothing happens
    assert database.read_bytes() == damaged and main.session is None

    with qtbot.waitSignal(main.unlocked, timeout=20_000):
        _restore(qtbot, main)
    assert main.session is not None and main.stack.currentWidget() is main.case_list
    assert len(main.session.summaries()) == len(demo_cases(date.today())[1])
    assert "återställdes från säkerhetskopian" in main.statusBar().currentMessage()
    [kept] = demo_profile_dir.glob("profile.db.damaged-*")
    assert kept.read_bytes() == damaged


def test_damage_found_while_working_locks_offers_the_backup_and_keeps_what_was_typed(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
):
    main = demo_window
    unlock(qtbot, main)
    first, second = main.session.summaries()[:2]
    main.open_case(first.case_id)
    main.workspace.go_to("case")
    type_text(main.workspace.case_page.origin_note, " Tillagt före skadan.")
    database = database_path(demo_profile_dir)
    for offset in range(PAGE + 100, database.stat().st_size, PAGE):  # every page but the first, as a bad disk would
        _flip(database, offset)
    with main.session.profile._db.reading() as connection:
        connection.execute("PRAGMA shrink_memory")  # SQLite's cache held the pages intact; now they come from disk
    main.open_case(second.case_id)  # saves the first (fails: damaged), then reads the second (fails)
    qtbot.waitUntil(lambda: main.unlock_panel.restore_button.isVisible(), timeout=10_000)
    assert main.session is None and "Profilfilen är skadad" in main.unlock_panel.error.text()
    assert main.stack.currentWidget() is main.unlock_panel
    type_text(main.unlock_panel.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(main.unlocked, timeout=20_000):
        _restore(qtbot, main)
    assert main.session is not None
    # What was typed before the damage was kept in memory through the lock and stored in the restored file.
    assert main.session.open_case(first.case_id).case.origin_note.endswith("Tillagt före skadan.")


def test_restore_needs_the_passphrase_and_no_intact_backup_is_said_plainly(qtbot, demo_window, demo_profile_dir):  # type: ignore[no-untyped-def]
    main, panel = demo_window, demo_window.unlock_panel
    database = database_path(demo_profile_dir)
    _flip(database, 1000)
    for backup in list_backups(demo_profile_dir):
        _flip(backup, 1000)
    type_text(panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.restore_button.isVisible(), timeout=20_000)
    panel.passphrase_edit.clear()
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert "Skriv din lösenfras först" in panel.error.text()
    type_text(panel.passphrase_edit, PASSPHRASE)
    damaged = database.read_bytes()
    _restore(qtbot, main)
    qtbot.waitUntil(lambda: "Inte heller någon av säkerhetskopiorna" in panel.error.text(), timeout=20_000)
    assert database.read_bytes() == damaged and main.session is None
    assert panel.passphrase_edit.isEnabled() and panel.restore_button.isEnabled()


def test_unlocking_again_instead_of_restoring_keeps_the_typed_text_for_the_restore(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
):
    main = demo_window
    unlock(qtbot, main)
    first = main.session.summaries()[0]
    main.open_case(first.case_id)
    main.workspace.go_to("case")
    type_text(main.workspace.case_page.origin_note, " Skrivet före skadan.")
    database = database_path(demo_profile_dir)
    for offset in range(PAGE + 100, database.stat().st_size, PAGE):
        _flip(database, offset)
    with main.session.profile._db.reading() as connection:
        connection.execute("PRAGMA shrink_memory")
    main.workspace.save_now()  # an autosave meets the damage
    qtbot.waitUntil(lambda: main.unlock_panel.restore_button.isVisible(), timeout=10_000)
    # Enter means Unlock: the damage is met again and the same offer comes back, the text still held.
    type_text(main.unlock_panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(main.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: main.session is None and main.unlock_panel.restore_button.isVisible()
                    and main.unlock_panel.passphrase_edit.isEnabled(), timeout=20_000)
    assert "Profilfilen är skadad" in main.unlock_panel.error.text()
    if not main.unlock_panel.passphrase_edit.text():
        type_text(main.unlock_panel.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(main.unlocked, timeout=20_000):
        _restore(qtbot, main)
    assert main.session.open_case(first.case_id).case.origin_note.endswith("Skrivet före skadan.")


def test_one_record_that_no_longer_validates_is_not_a_damaged_file(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
):
    profile = unlock_profile(demo_profile_dir, PASSPHRASE)
    case_id = profile.cases.list_summaries()[0].case_id
    with profile._db.transaction() as connection:  # e.g. written by a newer version with a status this one lacks
        connection.execute("UPDATE case_documents SET document = json_set(document, '$.status', 'okänd')"
                           " WHERE id = ?", (case_id,))
    profile.lock()
    main = demo_window
    unlock(qtbot, main)
    main.open_case(case_id)
    qtbot.wait(50)  # a damage lock would be queued for the next turn of the event loop
    assert main.session is not None and not main.unlock_panel.restore_button.isVisible()
    assert "kunde inte läsas" in main.statusBar().currentMessage()


def test_a_restore_asked_while_the_stopped_sync_still_ends_waits_until_its_store_is_closed(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir, held_sync, monkeypatch
):
    """Damage found while a sync runs locks the window; the sync stops at its next step and its store closes once
    it let go. A restore asked meanwhile starts only then: begun before, the database it sets aside (kept for IT,
    unchanged) took the stopped sync's last writes and its closing checkpoint."""
    import storage.restore

    main = demo_window
    unlock(qtbot, main)
    old = main.session.profile
    qtbot.waitUntil(held_sync.entered.is_set, timeout=20_000)
    main.open_case(main.session.summaries()[0].case_id)
    main.workspace.go_to("case")
    type_text(main.workspace.case_page.origin_note, " Skrivet under synkningen.")
    database = database_path(demo_profile_dir)
    for offset in range(PAGE + 100, database.stat().st_size, PAGE):
        _flip(database, offset)
    with old._db.reading() as connection:
        connection.execute("PRAGMA shrink_memory")
    main.workspace.save_now()  # an autosave meets the damage: the window locks and offers the backup
    qtbot.waitUntil(lambda: main.unlock_panel.restore_button.isVisible(), timeout=10_000)
    assert not old.is_locked  # the stopped sync still uses it

    real = storage.restore.restore_and_open
    store_closed_at_restore: list[bool] = []

    def restore_and_open(directory: Path, passphrase: str) -> object:
        store_closed_at_restore.append(old.is_locked)
        return real(directory, passphrase)

    monkeypatch.setattr(storage.restore, "restore_and_open", restore_and_open)
    type_text(main.unlock_panel.passphrase_edit, PASSPHRASE)
    _restore(qtbot, main)
    held_sync.release.set()
    qtbot.waitUntil(lambda: main.session is not None, timeout=30_000)
    assert store_closed_at_restore == [True]
    assert main.session.open_case(main.session.summaries()[0].case_id).case.origin_note.endswith(
        "Skrivet under synkningen.")
