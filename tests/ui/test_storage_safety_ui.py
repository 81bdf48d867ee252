"""What the window does with a damaged profile: an edited key file is said plainly, damage met while working locks
and offers the backup, and no document text reaches stderr or the log."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from uihelpers import PASSPHRASE, type_text

from storage.keyfile import _checksum
from storage.layout import key_file_path


@pytest.mark.parametrize(("name", "value"), [("iterations", 10**6), ("parallelism", 0), ("memory_kib", 2**70)],
                         ids=["busy for minutes", "argon2 HashingError", "OverflowError"])
def test_an_edited_key_file_is_a_damaged_key_file_and_the_page_stays_usable(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir: Path, name: str, value: int
):
    path = key_file_path(demo_profile_dir)
    body = json.loads(path.read_text())
    body["kdf"][name] = value
    body["checksum"] = _checksum(body)
    path.write_text(json.dumps(body))
    panel = demo_window.unlock_panel
    type_text(panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Profilfilen är skadad" in panel.error.text() and panel.passphrase_edit.isEnabled(),
                    timeout=10_000)
    assert "Något oväntat" not in panel.error.text() and demo_window.session is None  # no incident id
    assert not panel.restore_button.isVisible()  # the backups share this key file: no restore can help


MARKER = "Unik anteckning 7Q3X "
PAGE = 4096


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _damage_a_page_of(directory: Path, case_id: str, scratch: Path) -> None:
    """Damage one page that the case's load reads but the unlock and the list do not (found by trying each)."""
    from storage.errors import ProfileDamaged
    from storage.layout import database_path
    from storage.profile import unlock_profile

    pages = database_path(directory).stat().st_size // PAGE
    for page in range(pages - 1, 0, -1):
        trial = scratch / f"page-{page}"
        shutil.copytree(directory, trial)
        _flip(database_path(trial), page * PAGE + 100)
        try:
            opened = unlock_profile(trial, PASSPHRASE)
            opened.cases.list_summaries()
        except ProfileDamaged:
            continue
        try:
            opened.cases.load(case_id)
        except ProfileDamaged:
            _flip(database_path(directory), page * PAGE + 100)
            return
        finally:
            opened.lock()
    raise AssertionError("no page of the case's document could be damaged alone")


def test_damage_met_when_opening_a_case_locks_and_offers_the_backup_without_document_text(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir: Path, tmp_path: Path, capfd, caplog
):
    from storage.backups import list_backups
    from storage.profile import unlock_profile

    profile = unlock_profile(demo_profile_dir, PASSPHRASE)  # the first unlock makes the backup to restore
    summary = profile.cases.list_summaries()[0]
    case = profile.cases.load(summary.case_id)
    case.origin_note = MARKER * 1500  # overflow pages at the end of the file
    profile.cases.save(case)
    profile.lock()
    assert len(list_backups(demo_profile_dir)) == 1
    _damage_a_page_of(demo_profile_dir, case.id, tmp_path)

    main = demo_window
    type_text(main.unlock_panel.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(main.unlocked, timeout=20_000):
        qtbot.keyClick(main.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    search = main.case_list.search
    type_text(search, summary.person_name)
    qtbot.keyClick(search, Qt.Key.Key_Return)  # opens the case: its load meets the damaged page
    qtbot.waitUntil(lambda: main.unlock_panel.restore_button.isVisible(), timeout=10_000)
    assert main.session is None and "Profilfilen är skadad" in main.unlock_panel.error.text()
    captured = capfd.readouterr()
    assert MARKER.strip() not in captured.err + captured.out
    assert all(MARKER.strip() not in record.getMessage() for record in caplog.records)


SAVING_CHILD = """
import sys, time
from pathlib import Path
from storage.profile import unlock_profile

profile = unlock_profile(Path(sys.argv[1]), sys.argv[2])
case = profile.cases.load(sys.argv[3])
for counter in range(1, 13):
    case.origin_note = f"sparad {counter}"
    profile.cases.save(case)
print("done", flush=True)
time.sleep(600)
"""


def test_a_wal_damaged_after_a_crash_is_reported_at_unlock_with_the_backup_offered(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir: Path
):
    import os
    import signal
    import subprocess
    import sys

    from storage.layout import database_path
    from storage.profile import unlock_profile

    profile = unlock_profile(demo_profile_dir, PASSPHRASE)  # the first unlock makes the backup to restore
    case_id = profile.cases.list_summaries()[0].case_id
    profile.lock()
    repo = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([sys.executable, "-c", SAVING_CHILD, str(demo_profile_dir), PASSPHRASE, case_id],
                             stdout=subprocess.PIPE, text=True, cwd=repo, env={**os.environ, "PYTHONPATH": str(repo)})
    assert child.stdout is not None and child.stdout.readline().strip() == "done"
    child.send_signal(signal.SIGKILL)  # killed mid-session: the twelve saves are in the WAL only
    child.wait()
    child.stdout.close()
    _flip(Path(f"{database_path(demo_profile_dir)}-wal"), 12)  # the WAL header: SQLite would drop all twelve
    panel = demo_window.unlock_panel
    type_text(panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.restore_button.isVisible(), timeout=20_000)
    assert demo_window.session is None and "Profilfilen är skadad" in panel.error.text()
