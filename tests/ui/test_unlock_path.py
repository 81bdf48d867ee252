"""Issue 14: what happens between start, the unlock page and the case list (behaviour only; speed is bench_start).

The unlock page comes up without the store or the domain models imported; unlock through the page (typing the
passphrase, Enter) lists the cases with the deadlines as stored, and the day's deadline refresh and the due backup
run afterwards, off the UI thread and off the unlock path.
"""

from __future__ import annotations

import os
import threading
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from app_child import run_app_script, tagged
from PySide6.QtCore import Qt
from uihelpers import PASSPHRASE, type_text, unlock

from ibic.demo import demo_cases
from storage.backups import list_backups
from storage.profile import unlock_profile
from storage.repositories.cases import CaseRepository
from storage.sync_state import RemoteChange

# main.py as started from a desktop; when its event loop starts (the unlock page is shown) the modules are listed.
MODULES_WHEN_SHOWN = """
import json, sys
from PySide6.QtWidgets import QApplication
original = QApplication.exec
def listed_then_quit():
    print("MODULES", json.dumps(sorted(sys.modules)))
    return 0
QApplication.exec = staticmethod(listed_then_quit)
import main
main.main(["--profile", sys.argv[1]])
"""
# Not needed to show the unlock page: the store, the crypto, the domain models and what printing and sync use.
HEAVY = ("pydantic", "storage.profile", "storage.database", "sqlcipher3", "argon2", "cryptography", "ibic.cases",
         "ibic.reference", "reportlab", "httpx")


def test_the_unlock_page_is_shown_without_the_store_or_the_domain_models(
    demo_profile_dir: Path, tmp_path: Path
) -> None:
    loaded = set(tagged(run_app_script(MODULES_WHEN_SHOWN, str(demo_profile_dir), home=tmp_path), "MODULES"))
    assert "ui.unlock.panel" in loaded  # the page itself was built
    assert sorted(name for name in HEAVY if name in loaded) == []


def _age_the_deadlines(directory: Path) -> None:
    """As if the cases were last listed on an earlier day: no deadline, no work-list row stored for today."""
    profile = unlock_profile(directory, PASSPHRASE)  # makes the first backup: removed again, so one is due
    with profile._db.transaction() as connection:
        connection.execute("UPDATE cases SET deadline_checked_on = '2000-01-01', next_deadline = NULL, work = '',"
                           " in_force = ''")
    profile.lock()
    for backup in list_backups(directory):
        backup.unlink()


def test_the_days_deadlines_and_backup_come_after_the_list_off_the_ui_thread(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir: Path, monkeypatch
) -> None:
    _age_the_deadlines(demo_profile_dir)
    seen: dict[str, object] = {}
    original = CaseRepository.refresh_deadlines

    def refresh_deadlines(repository: CaseRepository, today: date) -> int:
        seen.setdefault("refreshed_on_ui_thread", threading.current_thread() is threading.main_thread())
        seen.setdefault("refreshed_after_unlocked", "unlocked" in seen)
        return original(repository, today)

    monkeypatch.setattr(CaseRepository, "refresh_deadlines", refresh_deadlines)
    main = demo_window
    main.unlocked.connect(lambda: seen.update(unlocked=True, backups=len(list_backups(demo_profile_dir)),
                                              work=len(main.case_list.work.rows)))
    unlock(qtbot, main)  # types the passphrase into the page and presses Enter
    assert main.case_list.model.rowCount() == len(demo_cases(date.today())[1])  # listed at once, as stored
    assert seen["backups"] == 0 and seen["work"] == 0  # neither waited for: the list came first
    qtbot.waitUntil(lambda: len(main.case_list.work.rows) > 0, timeout=20_000)
    assert main.case_list.work.heading.text().startswith("Att göra: ")
    assert seen["refreshed_on_ui_thread"] is False and seen["refreshed_after_unlocked"] is True
    qtbot.waitUntil(lambda: len(list_backups(demo_profile_dir)) == 1, timeout=20_000)


def test_the_days_refreshed_list_gives_back_the_heap_of_the_rows_it_replaced(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir: Path, monkeypatch
) -> None:
    """The day's first unlock lists every case twice (as stored, then refreshed by the upkeep): the first rows are
    freed on the UI thread at the swap, after the upkeep's trim, and their pages were kept (bench.memory_split,
    "first unlock of a day": ~1.6 MiB at 10,000 cases)."""
    import storage.kdf

    _age_the_deadlines(demo_profile_dir)
    main = demo_window
    trims: list[int] = []

    def trim() -> None:  # the work rows shown when the UI thread gives the freed heap back
        if threading.current_thread() is threading.main_thread() and main.case_list is not None:
            trims.append(len(main.case_list.work.rows))

    monkeypatch.setattr(storage.kdf, "return_freed_memory", trim)
    unlock(qtbot, main)
    qtbot.waitUntil(lambda: len(main.case_list.work.rows) > 0, timeout=20_000)
    assert trims and trims[-1] == len(main.case_list.work.rows)  # on main: never on the UI thread


def test_a_wrong_passphrase_is_refused_in_swedish_and_the_right_one_then_unlocks(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    panel = demo_window.unlock_panel
    type_text(panel.passphrase_edit, "inte-min-lösenfras-alls")
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=20_000)
    assert "Fel lösenfras" in panel.error.text() and demo_window.session is None
    assert demo_window.stack.currentWidget() is panel
    panel.passphrase_edit.clear()
    unlock(qtbot, demo_window)
    assert demo_window.stack.currentWidget() is demo_window.case_list
    assert demo_window.case_list.model.rowCount() == len(demo_cases(date.today())[1])


def test_damage_the_days_backup_finds_after_the_list_locks_and_offers_the_backup(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir: Path
) -> None:
    from storage.backups import MIN_INTERVAL_SECONDS
    from storage.layout import database_path

    profile = unlock_profile(demo_profile_dir, PASSPHRASE)  # its first backup: the sound one to restore
    big = profile.cases.load(profile.cases.list_summaries(today=date.today())[0].case_id)
    big.origin_note = "Ett långt fält. " * 2000  # overflow pages at the end of the file, which the list never reads
    profile.cases.save(big)
    profile.cases.list_summaries(today=date.today())  # today's deadlines stored: the refresh reads no document
    profile.lock()
    for backup in list_backups(demo_profile_dir):  # the day's backup is due again
        stamp = backup.stat().st_mtime - MIN_INTERVAL_SECONDS - 10
        os.utime(backup, (stamp, stamp))
    database = database_path(demo_profile_dir)
    data = bytearray(database.read_bytes())
    data[len(data) - 2 * 4096 + 100] ^= 0xFF
    database.write_bytes(bytes(data))
    main = demo_window
    unlock(qtbot, main)  # the list is shown: nothing on the unlock path read the damaged page
    panel = main.unlock_panel
    qtbot.waitUntil(lambda: panel.restore_button.isVisible(), timeout=20_000)  # the backup's check found it
    assert main.session is None and main.stack.currentWidget() is panel
    assert "Profilfilen är skadad" in panel.error.text()


def test_deadlines_refreshed_while_a_case_is_open_show_when_back_at_the_list(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir: Path, monkeypatch
) -> None:
    """The refresh may finish after the handläggare opened a case: Ctrl+E back to the list shows its work list."""
    _age_the_deadlines(demo_profile_dir)
    release, finished = threading.Event(), threading.Event()
    original = CaseRepository.refresh_deadlines

    def refresh_when_released(repository: CaseRepository, today: date) -> int:
        release.wait(timeout=60)
        return original(repository, today)

    monkeypatch.setattr(CaseRepository, "refresh_deadlines", refresh_when_released)
    main = demo_window
    unlock(qtbot, main)
    type_text(main.case_list.search, "greta")
    qtbot.keyClick(main.case_list.search, Qt.Key.Key_Return)
    assert main.stack.currentWidget() is main.workspace and main.case_list.work.rows == []
    qtbot.waitUntil(lambda: main._upkeep_job is not None)
    main._upkeep_job.finished.connect(lambda _rows: finished.set())
    release.set()
    qtbot.waitUntil(finished.is_set, timeout=20_000)  # the refreshed rows reached the window, a case still open
    qtbot.keyClick(main.workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert main.stack.currentWidget() is main.case_list
    assert len(main.case_list.work.rows) > 0  # read anew, not only the cases saved since the listing


def test_the_days_upkeep_folds_pulled_entries_into_their_documents(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir: Path
) -> None:
    """A pull keeps another device's edit as a row of its own (migration 0008); the upkeep after the unlock writes
    it into its document, off the UI thread, and the case shows it as before."""
    profile = unlock_profile(demo_profile_dir, PASSPHRASE)
    case_id = profile.cases.list_summaries()[0].case_id
    change = RemoteChange("case", case_id, "origin_note", "set", "Ändrad centralt", 2, 1, uuid.uuid4().hex)
    assert profile.sync.apply_remote([change], 1) == 1
    assert _pulled_rows(profile) == 1
    profile.lock()
    main = demo_window
    unlock(qtbot, main)
    qtbot.waitUntil(lambda: _pulled_rows(main.session.profile) == 0, timeout=20_000)
    assert main.session.profile.cases.load(case_id).origin_note == "Ändrad centralt"


def _pulled_rows(profile: Any) -> int:
    with profile._db.reading() as connection:
        return int(connection.execute("SELECT count(*) FROM case_pulled_entries").fetchone()[0])
