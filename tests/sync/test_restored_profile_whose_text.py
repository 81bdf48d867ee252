"""After a restore, the conflict's other side is named for who wrote it (s29-restored).

The laptop syncs an edit after its backup, is restored from that backup, and the handläggare edits the field again:
the first sync pulls first and the two texts meet as a conflict (s27-restore). Its other side was written by THIS
computer before the restore, yet the dialog called it "Deras" and "Ta deras", as if a colleague had written it. Now
the restored profile's pull asks the server who sent each change (``POST /v1/pull?authors=true``), the conflict
keeps that device id (storage migration 0015), and the dialog says "Min tidigare" / "Ta min tidigare" for the
laptop's own earlier text, and still "Deras" for another device's. Fails on main (no ``own_earlier``; "Deras")."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTextBrowser, QTreeWidget
from sync_support import (
    PASSPHRASE,
    Env,
    as_a_server_before_s29,
    assigned_cases,
    damage_and_restore,
    edit_case,
    make_laptop,
    unlock_and_open_conflicts,
    window_over,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # the UI tests' keyboard helpers


from sync.server.dev import DEMO_USER

OWN = "Bor ensam. Synkat härifrån efter säkerhetskopian."
COLLEAGUE = "Bor med make. Skrivet på den andra datorn."
TYPED = "Skrivet efter återställningen."


def _restored_with_two_clashes(env: Env, tmp_path: Path) -> tuple[Path, str, str]:
    """After the backup this laptop syncs one case's note and another laptop of the user another case's; the profile
    is damaged and restored as the app does, and both notes are edited again (offline). (directory, own, other)."""
    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    other = make_laptop(env, tmp_path / "other", DEMO_USER)
    laptop.sync()
    other.sync()
    own_case, other_case = (str(c["case_id"]) for c in assigned_cases(env, DEMO_USER)[:2])
    assert laptop.profile.backup_now() is not None
    edit_case(laptop.profile, own_case, origin_note=OWN)
    laptop.sync()
    edit_case(other.profile, other_case, origin_note=COLLEAGUE)
    other.sync()
    other.profile.lock()
    profile = damage_and_restore(laptop)
    profile.audit.record("restore", detail="from the newest intact backup")  # as the unlock page does
    for case_id in (own_case, other_case):
        edit_case(profile, case_id, origin_note=TYPED)
    profile.lock()
    return laptop.directory, own_case, other_case


def test_the_restored_laptops_own_earlier_text_is_told_from_another_devices(env: Env, tmp_path: Path) -> None:
    from storage.profile import unlock_profile
    from sync.client.engine import open_session, sync_now

    directory, own_case, other_case = _restored_with_two_clashes(env, tmp_path)
    profile = unlock_profile(directory, PASSPHRASE, backup=False)
    try:
        sync_now(open_session(profile), profile)
        found = {c.record_id: (c.server_value, c.own_earlier) for c in profile.sync.conflicts()}
        assert found == {own_case: (OWN, True), other_case: (COLLEAGUE, False)}
        sync_now(open_session(profile), profile)  # a later, ordinary sync keeps what it knew
        assert {c.record_id: c.own_earlier for c in profile.sync.conflicts()} == {own_case: True, other_case: False}
    finally:
        profile.lock()
    again = unlock_profile(directory, PASSPHRASE, backup=False)  # stored, not only known to the open profile
    try:
        assert {c.record_id: c.own_earlier for c in again.sync.conflicts()} == {own_case: True, other_case: False}
    finally:
        again.lock()


def test_a_server_before_s29_refuses_the_question_and_the_conflicts_say_deras_as_before(
    env: Env, tmp_path: Path, monkeypatch: Any,
) -> None:
    """Such a server refuses ``authors`` (422, a parameter it does not take): the page is asked again plainly, the
    sync goes on, both clashes are conflicts, neither known to be this laptop's."""
    import httpx

    from storage.profile import unlock_profile
    from sync.client.engine import open_session, sync_now

    directory, own_case, other_case = _restored_with_two_clashes(env, tmp_path)
    profile = unlock_profile(directory, PASSPHRASE, backup=False)
    monkeypatch.setattr(httpx.Client, "request", as_a_server_before_s29(httpx.Client.request))
    try:
        sync_now(open_session(profile), profile)
        found = {c.record_id: (c.server_value, c.own_earlier) for c in profile.sync.conflicts()}
        assert found == {own_case: (OWN, False), other_case: (COLLEAGUE, False)}
        assert not profile.sync.pulls_first()
    finally:
        profile.lock()


def test_the_window_s_conflict_dialog_says_min_tidigare_for_its_own_text_and_deras_for_a_colleague_s(
    env: Env, tmp_path: Path, qtbot: Any, swedish_ui: None,
) -> None:
    """In Swedish, through the window: the sync at unlock, the status bar's conflict button, then each conflict of
    the list chosen by the keyboard: its column title, button, accessible name, note and tooltip."""
    directory, own_case, _other_case = _restored_with_two_clashes(env, tmp_path)
    window = window_over(env, tmp_path, qtbot, directory)
    seen: list[dict[str, Any]] = []

    def look(dialog: Any) -> dict[str, Any]:
        tree = dialog.findChild(QTreeWidget, "conflictList")
        note = dialog.findChild(QLabel, "conflictSideNote")  # none on s28: an empty note
        return {
            "case": dialog.current_conflict().record_id,
            "title": dialog.findChild(QLabel, "conflictTheirsTitle").text(),
            "button": dialog.findChild(QPushButton, "takeTheirsButton").text().replace("&", ""),
            "name": dialog.findChild(QTextBrowser, "conflictTheirs").accessibleName(),
            "note": note.text() if note is not None and note.isVisibleTo(dialog) else "",
            "tip": tree.currentItem().toolTip(0),
            "field": tree.currentItem().text(0),
        }

    def in_the_dialog(dialog: Any) -> None:
        try:
            tree = dialog.findChild(QTreeWidget, "conflictList")
            tree.setFocus()
            seen.append(look(dialog))
            for _ in range(3):  # down past the second case's row to its field (the keyboard, as a person does)
                qtbot.keyClick(tree, Qt.Key.Key_Down)
                if dialog.current_conflict() is not None and dialog.current_conflict().record_id != seen[0]["case"]:
                    break
            seen.append(look(dialog))
        finally:
            dialog.reject()  # whatever was found: the window's exec() returns

    try:
        unlock_and_open_conflicts(qtbot, window, in_the_dialog)
        by_case = {look["case"]: look for look in seen}
        assert len(by_case) == 2
        own = by_case.pop(own_case)
        [other] = by_case.values()
        assert (own["title"], own["button"]) == ("Min tidigare", "Ta min tidigare")
        assert own["name"] == "Min tidigare version, synkad från den här datorn före återställningen"
        assert "den här datorn synkade före återställningen" in own["note"]
        assert own["tip"].startswith(own["field"]) and "min tidigare version" in own["tip"]
        assert (other["title"], other["button"], other["name"]) == ("Deras", "Ta deras", "Deras version")
        assert other["note"] == "" and other["tip"] == other["field"]
    finally:
        if window.session is not None:
            window.session.lock()
