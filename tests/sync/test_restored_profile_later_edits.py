"""A profile restored from a backup must not silently overwrite its own later synced edits (s27-restore).

The laptop edits a field and syncs (the server at N+1), its database is damaged and restored from a backup taken
before that edit, the handläggare edits the same field again (base N) and syncs. The server never holds a device's
own later versions against it, so it applied the new text over N+1 without a conflict: the text synced after the
backup was gone, and no one was told. Now the first sync after a restore pulls before it pushes: the synced text
comes back, meets the edit typed after the restore and becomes a conflict the handläggare sees (the window's
conflict button and dialog); nothing is sent over it until they choose. Fails on s27-merge (no conflict; the server
holds the text typed after the restore)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sync_support import (
    PASSPHRASE,
    Env,
    assigned_cases,
    damage_and_restore,
    edit_case,
    in_conflict_dialog,
    make_laptop,
    server_note,
    unlock_and_open_conflicts,
    window_over,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # the UI tests' keyboard helpers

from uihelpers import unlock

from sync.server.dev import DEMO_USER

SYNCED = "Bor ensam. Synkat efter säkerhetskopian."
TYPED = "Bor ensam. Skrivet efter återställningen."
# Audit entries uploaded after the backup, lost with the damaged file: the server's chain is ahead of the restored
# one, and the first sync continues it (tests/sync/test_restored_profile_audit_chain.py).
AUDIT_AHEAD = 3


def _restored_and_edited(env: Env, tmp_path: Path) -> tuple[Path, str]:
    """Sync, back up, edit and sync, damage, restore as the app does, edit the same field again (offline)."""
    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    laptop.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    assert laptop.profile.backup_now() is not None  # the backup: before the edit below
    edit_case(laptop.profile, case_id, origin_note=SYNCED)
    for _ in range(AUDIT_AHEAD):
        laptop.profile.audit.record("case_viewed", case_id=case_id)
    laptop.sync()
    assert server_note(env, case_id) == SYNCED and not laptop.profile.journal.pending()
    profile = damage_and_restore(laptop)
    profile.audit.record("restore", detail="from the newest intact backup")  # as the unlock page does
    assert profile.cases.load(case_id).origin_note != SYNCED  # the backup predates the synced edit
    edit_case(profile, case_id, origin_note=TYPED)
    profile.lock()
    return laptop.directory, case_id


def test_the_first_sync_after_a_restore_shows_the_clash_with_the_laptops_own_later_synced_edit(
    env: Env, tmp_path: Path,
) -> None:
    from storage.profile import unlock_profile
    from sync.client.engine import open_session, sync_now

    directory, case_id = _restored_and_edited(env, tmp_path)
    assert (directory / "profile.db-restored").exists()
    profile = unlock_profile(directory, PASSPHRASE, backup=False)
    report = sync_now(open_session(profile), profile)
    assert server_note(env, case_id) == SYNCED  # not overwritten
    [conflict] = profile.sync.conflicts()
    assert (conflict.record_id, conflict.path) == (case_id, "origin_note")
    assert (conflict.local_value, conflict.server_value) == (TYPED, SYNCED)
    assert profile.cases.load(case_id).origin_note == TYPED and report.applied == 0
    assert not (directory / "profile.db-restored").exists()  # pulled since the restore: the next sync pushes first
    sync_now(open_session(profile), profile)  # a later sync sends nothing over it either
    assert server_note(env, case_id) == SYNCED and len(profile.sync.conflicts()) == 1
    profile.sync.resolve_conflict(conflict.conflict_id, TYPED)  # the handläggare keeps what they typed
    sync_now(open_session(profile), profile)
    assert server_note(env, case_id) == TYPED and not profile.sync.conflicts()
    assert not profile.journal.pending()
    profile.lock()


def test_the_window_s_sync_after_a_restore_offers_both_texts_in_the_conflict_dialog(
    env: Env, tmp_path: Path, qtbot: Any,
) -> None:
    directory, case_id = _restored_and_edited(env, tmp_path)
    window = window_over(env, tmp_path, qtbot, directory)
    seen: dict[str, Any] = {}

    def in_the_dialog(dialog: Any) -> None:
        seen["conflicts"] = [(c.local_value, c.server_value) for c in window.session.profile.sync.conflicts()]
        take = dialog.findChild(QPushButton, "takeTheirsButton")
        take.setFocus()
        qtbot.keyClick(take, Qt.Key.Key_Return)
        seen["left"] = len(window.session.profile.sync.conflicts())

    try:
        unlock(qtbot, window, PASSPHRASE)  # the window syncs at unlock
        button = window.statusBar().findChild(QPushButton, "syncConflictsButton")
        qtbot.waitUntil(button.isVisible, timeout=60_000)
        assert server_note(env, case_id) == SYNCED
        in_conflict_dialog(in_the_dialog)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the dialog's exec() returns when it closes
        assert seen["conflicts"] == [(TYPED, SYNCED)] and seen["left"] == 0
        assert window.session.profile.cases.load(case_id).origin_note == SYNCED  # theirs taken
    finally:
        if window.session is not None:
            window.session.lock()


def test_a_first_pull_that_fails_keeps_the_mark_and_the_next_sync_still_pulls_first(
    env: Env, tmp_path: Path, monkeypatch: Any,
) -> None:
    """The first sync's pull after the restore is answered 503 (the server's proxy): nothing is pushed over the text
    synced after the backup, the mark stays, and the next sync pulls first and shows the clash (s28-rrestore)."""
    import httpx
    import pytest

    from storage.profile import unlock_profile
    from sync.client.engine import open_session, sync_now
    from sync.client.transport import RetryPolicy
    from sync.errors import ServerUnavailable

    directory, case_id = _restored_and_edited(env, tmp_path)
    profile = unlock_profile(directory, PASSPHRASE, backup=False)
    real_request = httpx.Client.request

    def unavailable_pull(client: httpx.Client, method: str, url: Any, *args: Any, **kwargs: Any) -> httpx.Response:
        if httpx.URL(str(url)).path == "/v1/pull":  # the restored profile's pull asks ?authors=true (s29)
            return httpx.Response(503, json={"error": "unavailable"})
        return real_request(client, method, url, *args, **kwargs)

    monkeypatch.setattr(httpx.Client, "request", unavailable_pull)
    try:
        with pytest.raises(ServerUnavailable):
            sync_now(open_session(profile, retry=RetryPolicy(attempts=2, base_seconds=0.01)), profile)
        assert (directory / "profile.db-restored").exists() and profile.sync.pulls_first()
        assert server_note(env, case_id) == SYNCED and len(profile.journal.pending()) == 1
        monkeypatch.setattr(httpx.Client, "request", real_request)
        sync_now(open_session(profile), profile)
        [conflict] = profile.sync.conflicts()
        assert (conflict.local_value, conflict.server_value) == (TYPED, SYNCED)
        assert server_note(env, case_id) == SYNCED and not profile.sync.pulls_first()
    finally:
        profile.lock()


def test_the_conflict_dialog_after_a_restore_shows_both_texts_in_swedish(
    env: Env, tmp_path: Path, qtbot: Any, swedish_ui: None,
) -> None:
    """In Swedish: the window's sync at unlock, the status bar's conflict button, the dialog titled and labelled in
    Swedish, the text typed after the restore as "Min", the one synced after the backup as "Min tidigare" (s28 said
    "Deras", as if another had written it: tests/sync/test_restored_profile_whose_text.py)."""
    from PySide6.QtWidgets import QLabel, QTextBrowser, QTreeWidget

    directory, _case_id = _restored_and_edited(env, tmp_path)
    window = window_over(env, tmp_path, qtbot, directory)
    seen: dict[str, Any] = {}

    def in_the_dialog(dialog: Any) -> None:
        seen["title"] = dialog.windowTitle()
        seen["field"] = dialog.findChild(QTreeWidget, "conflictList").currentItem().text(0)
        seen["texts"] = {name: dialog.findChild(QTextBrowser, name).toPlainText()
                         for name in ("conflictMine", "conflictTheirs")}
        seen["titles"] = [dialog.findChild(QLabel, f"{name}Title").text()
                          for name in ("conflictMine", "conflictTheirs")]
        dialog.reject()

    try:
        unlock_and_open_conflicts(qtbot, window, in_the_dialog)
        assert seen["title"] == "Synkkonflikter"
        # Each side marks its words against the text before both edits: the words each added are on its side only.
        mine, theirs = seen["texts"]["conflictMine"], seen["texts"]["conflictTheirs"]
        assert "Skrivet" in mine and "återställningen." in mine and "Synkat" not in mine
        assert "Synkat" in theirs and "säkerhetskopian." in theirs and "Skrivet" not in theirs
        assert [title.replace("&", "") for title in seen["titles"]] == ["Min", "Min tidigare"]
        assert seen["field"] and "origin_note" not in seen["field"]  # the field in words, not its path
    finally:
        if window.session is not None:
            window.session.lock()
