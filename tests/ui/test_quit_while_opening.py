"""Quit (the window closed) while the unlock or a restore is still opening the profile on its worker: the process
waits for the worker (``ui.app.run``'s last step) and closes the store it opened, key overwritten and WAL
checkpointed; nothing is left to the garbage collector, nothing half-written."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QThreadPool
from test_restore_backup import _flip, _restore
from uihelpers import PASSPHRASE, type_text

import storage.profile
import storage.restore
from storage.backups import list_backups
from storage.layout import database_path
from storage.repositories.cases import CaseRepository
from ui.common.worker import deliver_finished_jobs


class _HeldListing:
    """The worker's listing of the cases, held on an Event until the test lets it go (no fixed sleep)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.entered, self.release = threading.Event(), threading.Event()
        self.opened: list[Any] = []
        real = CaseRepository.read_summaries

        def held(repository: CaseRepository, *args: Any, **kwargs: Any) -> Any:
            self.entered.set()
            assert self.release.wait(timeout=120)
            return real(repository, *args, **kwargs)

        monkeypatch.setattr(CaseRepository, "read_summaries", held)

    def record(self, opened: Any) -> Any:
        self.opened.append(opened)
        return opened


def _quit_and_wait(main: Any, held: _HeldListing) -> None:
    """Close the window as a person does, let the worker finish, then what ``ui.app.run`` does after the loop."""
    main.close()
    held.release.set()
    assert QThreadPool.globalInstance().waitForDone(60_000)
    deliver_finished_jobs()


def _closed_cleanly(profile: Any, directory: Path) -> None:
    assert profile.is_locked
    wal = Path(f"{database_path(directory)}-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # checkpointed: the main file holds everything


def test_quit_while_the_unlock_lists_the_cases_closes_the_store_it_opened(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir, monkeypatch
):
    main = demo_window
    held = _HeldListing(monkeypatch)
    real_unlock = storage.profile.unlock_profile
    monkeypatch.setattr(storage.profile, "unlock_profile", lambda *a, **k: held.record(real_unlock(*a, **k)))
    type_text(main.unlock_panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(main.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(held.entered.is_set, timeout=30_000)  # the key is in, the store open, the cases being listed
    _quit_and_wait(main, held)
    assert main.session is None
    [profile] = held.opened
    _closed_cleanly(profile, demo_profile_dir)


def test_quit_while_a_restore_opens_the_backup_closes_the_restored_store(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir, monkeypatch
):
    storage.profile.unlock_profile(demo_profile_dir, PASSPHRASE).lock()  # its first unlock makes a backup
    assert len(list_backups(demo_profile_dir)) == 1
    main, panel = demo_window, demo_window.unlock_panel
    _flip(database_path(demo_profile_dir), 1000)  # the first page: the file no longer opens
    type_text(panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(panel.restore_button.isVisible, timeout=20_000)

    held = _HeldListing(monkeypatch)
    real_restore = storage.restore.restore_and_open

    def restore_and_open(*args: Any, **kwargs: Any) -> Any:
        restored, profile = real_restore(*args, **kwargs)
        held.record(profile)
        return restored, profile

    monkeypatch.setattr(storage.restore, "restore_and_open", restore_and_open)
    _restore(qtbot, main)
    qtbot.waitUntil(held.entered.is_set, timeout=30_000)  # restored and open, the cases being listed
    _quit_and_wait(main, held)
    assert main.session is None
    [profile] = held.opened
    _closed_cleanly(profile, demo_profile_dir)
    storage.profile.unlock_profile(demo_profile_dir, PASSPHRASE).lock()  # the restored file opens: whole
