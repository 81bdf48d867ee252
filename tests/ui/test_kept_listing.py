"""Issue 14, after the KDF: the lists kept in the profile at the lock (``ui.cases.kept_listing``) are what an unlock
shows when nothing was written since, and never when something was: after every kind of change the window shows
exactly the rows a full listing of the store gives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from uihelpers import PASSPHRASE, type_text, unlock, window_over_new_profile

import ui.cases.kept_listing as kept_listing
from ibic.demo import bulk_cases, demo_cases
from storage.database import connect
from storage.keyfile import read_key_file, unwrap
from storage.layout import database_path, key_file_path
from storage.profile import unlock_profile

REPO = Path(__file__).resolve().parents[2]
BULK = 120


@pytest.fixture
def bulk_window(qtbot, settings, profile_dir: Path) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    main = window_over_new_profile(qtbot, settings, profile_dir, [demo_cases(date.today()),
                                                                  bulk_cases(BULK, date.today())])
    yield main
    if main.session is not None:
        main.session.lock()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One entry an unlock: whether it was given the kept lists (True) or listed every case (False)."""
    seen: list[bool] = []
    original = kept_listing.read_kept

    def read(profile: Any, ref: Any, today: date, *rest: Any) -> Any:
        listing = original(profile, ref, today, *rest)
        seen.append(listing is not None)
        return listing

    monkeypatch.setattr(kept_listing, "read_kept", read)
    return seen


def _settled(qtbot: Any) -> None:
    qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() == 0, timeout=30_000)


def _unlock(qtbot: Any, main: Any) -> None:
    """Unlock through the page, then wait for the day's upkeep (it may list again) to be done."""
    unlock(qtbot, main)
    qtbot.waitUntil(lambda: main._upkeep_job is not None, timeout=30_000)
    _settled(qtbot)


def _lock(qtbot: Any, main: Any) -> None:
    """Ctrl+L, then wait until the store is closed (its lists kept)."""
    from PySide6.QtCore import Qt

    qtbot.keyClick(main.case_list.search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert main.session is None
    qtbot.waitUntil(lambda: not main._closing, timeout=30_000)


def _shown(model: Any) -> list[tuple[Any, ...]]:
    """Every cell's text and tooltip, each row's fields and personnummer, in the model's order."""
    from PySide6.QtCore import Qt

    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole)
    return [(model.row(r), model.personal_number(r) if hasattr(model, "personal_number") else None,
             *(model.data(model.index(r, c), role) for c in range(model.columnCount()) for role in roles))
            for r in range(model.rowCount())]


def _as_listed_in_full(main: Any) -> None:
    """The window's lists are exactly those a full listing of the store gives now (the same cells, rows, work rows
    and search results)."""
    from ui.cases.case_list import prepared_listing
    from ui.cases.shown_cases import ShownCases
    from ui.cases.table_model import CaseTableModel

    page, profile = main.case_list, main.session.profile
    full = profile.cases.read_summaries(lambda rows: prepared_listing(rows, main.session.ref, main.session.today()),
                                        refresh=False)
    model = CaseTableModel(main.session.ref)
    model.ever_synced, model.withdrawn = page.model.ever_synced, page.model.withdrawn
    model.set_built(full.cases)
    assert _shown(page.model) == _shown(model)
    assert list(page.work.model.rows) == list(full.work)
    shown = ShownCases(model)
    for query in ("0004", "testperson 0001", "19", "hemtjänst"):
        page.search.clear()
        type_text(page.search, query)
        shown.set_query(query)
        assert [page.shown.case_id(row) for row in range(page.shown.rowCount())] == [
            shown.case_id(row) for row in range(shown.rowCount())]
    assert {page.shown.case_id(row) for row in range(page.shown.rowCount())} >= {
        s.case_id for s in profile.cases.list_summaries(text="0004", refresh=False)}
    page.search.clear()


def _unlocked_from_kept_lists(qtbot: Any, main: Any, reads: list[bool]) -> None:
    """Unlock, Ctrl+L (the lists kept), unlock again: from the kept lists."""
    _unlock(qtbot, main)
    _lock(qtbot, main)
    _unlock(qtbot, main)
    assert reads[-1] is True


def _names(main: Any) -> set[str]:
    model = main.case_list.model
    return {model.row(r).name for r in range(model.rowCount())}


def _started_again(qtbot: Any, settings: Any, directory: Path, reads: list[bool]) -> None:
    """A new window over the profile (the next start), unlocked: from the kept lists, as a full listing."""
    from storage.kdf import KdfParameters
    from ui.main_window import MainWindow, StartOptions

    again = MainWindow(settings, StartOptions(profile_dir=directory, kdf=KdfParameters()))
    qtbot.addWidget(again)
    again.show()
    try:
        _unlock(qtbot, again)
        assert reads == [False, True]
        _as_listed_in_full(again)
    finally:
        if again.session is not None:  # locked as a person locks: the window's sync may still be running
            again.action_lock.trigger()
            qtbot.waitUntil(lambda: not again._closing, timeout=30_000)


def test_an_unlock_after_a_lock_shows_the_kept_lists_and_they_are_the_full_listing(  # type: ignore[no-untyped-def]
    qtbot, bulk_window, reads
) -> None:
    main = bulk_window
    _unlock(qtbot, main)
    assert reads == [False]  # the profile was written after it was created: nothing kept yet
    _lock(qtbot, main)
    _unlock(qtbot, main)
    assert reads == [False, True]
    _as_listed_in_full(main)
    _lock(qtbot, main)  # the unlock's own audit entry was written since: kept anew
    _unlock(qtbot, main)
    assert reads == [False, True, True]
    _as_listed_in_full(main)


def test_a_case_saved_while_unlocked_is_in_the_next_unlocks_lists(qtbot, bulk_window, reads) -> None:  # type: ignore[no-untyped-def]
    main = bulk_window
    _unlocked_from_kept_lists(qtbot, main, reads)
    session = main.session
    first = session.profile.cases.list_summaries(refresh=False)[0]
    person = session.profile.people.load(first.person_id)
    session.profile.people.save(person.model_copy(update={"given_name": "Namnbytt", "family_name": "Testperson"}))
    _lock(qtbot, main)
    _unlock(qtbot, main)
    assert reads[-1] is True  # kept again at the lock, after the save
    assert "Namnbytt Testperson" in _names(main)
    _as_listed_in_full(main)


def test_a_change_written_by_another_writer_after_the_lock_lists_in_full(  # type: ignore[no-untyped-def]
    qtbot, bulk_window, reads, profile_dir: Path
) -> None:
    """A sync's pull or another copy of the program writing the file after the lists were kept: the count moved, so
    the next unlock lists every case (and shows the change)."""
    main = bulk_window
    _unlock(qtbot, main)
    _lock(qtbot, main)
    profile = unlock_profile(profile_dir, PASSPHRASE, backup=False)
    people, cases = bulk_cases(1, date.today(), seed=99)
    people = [p.model_copy(update={"given_name": "Ny", "family_name": "Låset"}) for p in people]
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.lock()
    _unlock(qtbot, main)
    assert reads[-1] is False
    assert main.case_list.model.rowCount() == BULK + len(demo_cases(date.today())[1]) + 1
    _as_listed_in_full(main)


_OPEN_THEN_SAVE = """
import sys
from storage.profile import unlock_profile
from storage.save_counter import inside_count
profile = unlock_profile(sys.argv[1], sys.argv[2], backup=False)
with profile._db.reading() as connection:
    opened = inside_count(connection)
print("open", flush=True)
sys.stdin.readline()
# As many saves as the other copy committed since this one opened (its lock's writes and the lists kept): a count
# raised from the one read at the open would then end on the count the lists were kept with.
with profile._db.reading() as connection:
    saves = inside_count(connection) - opened
case = profile.cases.list_summaries(refresh=False)[-1]
person = profile.people.load(case.person_id)
saves = max(saves, 1)
for n in range(saves):
    person = person.model_copy(update={"given_name": "Andra", "family_name": "Kopian" if n == saves - 1 else str(n)})
    profile.people.save(person)
profile.lock()
print("saved", saves, flush=True)
"""


def test_a_change_by_another_copy_open_since_before_the_lock_lists_in_full(  # type: ignore[no-untyped-def]
    qtbot, bulk_window, reads, profile_dir: Path
) -> None:
    """A second copy of the program opened the profile before the lock kept the lists, and saves after it as often as
    the first wrote in between: its saves raise the count the file holds (not the one it read at its open), so the
    next unlock lists every case and shows the change."""
    main = bulk_window
    _unlock(qtbot, main)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", _OPEN_THEN_SAVE, str(profile_dir), PASSPHRASE],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdin is not None and child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "open"
        _lock(qtbot, main)
        child.stdin.write("save\n")
        child.stdin.flush()
        assert child.stdout.readline().startswith("saved")
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    _unlock(qtbot, main)
    assert reads[-1] is False
    assert "Andra Kopian" in _names(main)
    _as_listed_in_full(main)


def test_lists_kept_on_another_day_are_not_shown(qtbot, bulk_window, reads, profile_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Deadline texts and urgency change with the date: lists kept yesterday are listed again in full today."""
    main = bulk_window
    _unlock(qtbot, main)
    _lock(qtbot, main)
    key = unwrap(read_key_file(key_file_path(profile_dir)), PASSPHRASE)
    connection = connect(database_path(profile_dir), key)  # a raw connection: the save count is left as it is
    assert connection.execute("UPDATE kept_list SET day = '2000-01-01'").rowcount == 1
    connection.close()
    _unlock(qtbot, main)
    assert reads[-1] is False
    _as_listed_in_full(main)


_SAVE_THEN_WAIT = """
import sys, time
from datetime import date
from storage.profile import unlock_profile
profile = unlock_profile(sys.argv[1], sys.argv[2], backup=False)
case = profile.cases.list_summaries(refresh=False)[-1]
person = profile.people.load(case.person_id)
profile.people.save(person.model_copy(update={"given_name": "Sparad", "family_name": "Kraschen"}))
print("saved", flush=True)
time.sleep(60)
"""


def test_a_save_before_a_crash_is_in_the_next_unlocks_lists(qtbot, bulk_window, reads, profile_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """SIGKILL right after a save (no lock, no kept lists written after it): the save is listed at the next unlock."""
    main = bulk_window
    _unlock(qtbot, main)
    _lock(qtbot, main)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", _SAVE_THEN_WAIT, str(profile_dir), PASSPHRASE],
                             stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "saved"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    _unlock(qtbot, main)
    assert reads[-1] is False
    assert "Sparad Kraschen" in _names(main)
    _as_listed_in_full(main)


def test_a_name_edited_through_the_page_before_ctrl_l_is_in_the_kept_lists(  # type: ignore[no-untyped-def]
    qtbot, bulk_window, reads
) -> None:
    """Typed into an open case (a list column: the name), then Ctrl+L: the lock saves it, then keeps the lists."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    main = bulk_window
    _unlocked_from_kept_lists(qtbot, main, reads)
    type_text(main.case_list.search, "greta")
    qtbot.keyClick(main.case_list.search, Qt.Key.Key_Return)
    assert main.stack.currentWidget() is main.workspace
    given = main.workspace.findChild(QLineEdit, "personGivenName")
    given.selectAll()
    type_text(given, "Margit")
    qtbot.keyClick(main.workspace, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert main.session is None
    qtbot.waitUntil(lambda: not main._closing, timeout=30_000)
    _unlock(qtbot, main)
    assert reads[-1] is True
    if main.stack.currentWidget() is not main.case_list:  # the unlock returns to the open case
        qtbot.keyClick(main.workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert any(name.startswith("Margit") for name in _names(main))
    _as_listed_in_full(main)


def test_lists_kept_at_quit_are_shown_by_the_next_start(qtbot, settings, bulk_window, reads, profile_dir: Path) -> None:  # type: ignore[no-untyped-def]
    main = bulk_window
    _unlock(qtbot, main)
    main.close()  # quit: the lists are kept on a worker, then the store is closed
    qtbot.waitUntil(lambda: not main._closing, timeout=30_000)
    _started_again(qtbot, settings, profile_dir, reads)


def test_every_unlock_is_audited_before_its_list_is_shown(qtbot, bulk_window, reads) -> None:  # type: ignore[no-untyped-def]
    """The unlock's audit entry is written beside the rows' making on the unlock worker, and waited for: when the
    window says it is unlocked (the list about to be painted) the entry is in the store, once an unlock."""
    main = bulk_window
    audited: list[int] = []
    main.unlocked.connect(lambda: audited.append(
        sum(1 for e in main.session.profile.audit.entries() if e.action == "unlock")))
    _unlock(qtbot, main)
    _lock(qtbot, main)
    _unlock(qtbot, main)
    assert reads == [False, True]
    assert audited == [1, 2]


def test_a_lock_while_a_sync_step_ends_keeps_the_lists_after_its_last_write(  # type: ignore[no-untyped-def]
    qtbot, demo_window, held_sync, reads
) -> None:
    """The lock stops a sync mid-step; the step still records what the server answered (a write). The lists are
    kept only once it let go, so they hold that write and the next unlock shows them."""
    main = demo_window
    unlock(qtbot, main)
    qtbot.waitUntil(held_sync.entered.is_set, timeout=20_000)
    main.action_lock.trigger()
    assert main._closing  # the stopped sync still uses the store
    held_sync.release.set()
    qtbot.waitUntil(lambda: not main._closing, timeout=30_000)
    _unlock(qtbot, main)
    assert reads == [False, True]
    _as_listed_in_full(main)


def test_a_case_withdrawn_and_a_case_created_while_unlocked_are_in_the_next_unlocks_lists(  # type: ignore[no-untyped-def]
    qtbot, bulk_window, reads
) -> None:
    main = bulk_window
    _unlocked_from_kept_lists(qtbot, main, reads)
    profile = main.session.profile
    gone = profile.cases.list_summaries(refresh=False)[-1].case_id
    assert profile.withdrawals.withdraw([gone]).removed  # what a pull's withdrawal does
    people, cases = bulk_cases(1, date.today(), seed=7)
    profile.people.save_many([p.model_copy(update={"given_name": "Nyskapad"}) for p in people])
    profile.cases.save_many(cases)
    _lock(qtbot, main)
    _unlock(qtbot, main)
    assert reads[-1] is True
    ids = {main.case_list.model.row(r).case_id for r in range(main.case_list.model.rowCount())}
    assert gone not in ids and cases[0].id in ids
    _as_listed_in_full(main)


def test_a_quit_while_a_sync_step_ends_keeps_the_lists_once_it_let_go(  # type: ignore[no-untyped-def]
    qtbot, settings, demo_window, held_sync, reads, demo_profile_dir: Path
) -> None:
    """Closed while a sync step runs: the step's last write, then the lists kept (without a worker: the window is
    gone) and the store closed; the next start shows them."""
    main = demo_window
    unlock(qtbot, main)
    qtbot.waitUntil(held_sync.entered.is_set, timeout=20_000)
    main.close()
    assert main._closing
    held_sync.release.set()
    qtbot.waitUntil(lambda: not main._closing, timeout=30_000)
    _started_again(qtbot, settings, demo_profile_dir, reads)


def test_files_updated_while_a_created_profile_is_unlocked_are_not_stamped_on_its_lists(  # type: ignore[no-untyped-def]
    qtbot, window, reads, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update replaces a file the rows are built from while the window runs, on a profile created in it (no
    unlock read the kept lists: the process had not looked at its files, as the cleared cache makes it here). The
    lock's lists were built by the program loaded before: stamped with the files as it read them, the next start
    (the new files) lists in full."""
    from PySide6.QtCore import Qt

    data = tmp_path / "data"
    data.mkdir()
    (data / "insatser.toml").write_text("# as installed\n")
    monkeypatch.setattr(kept_listing, "_DATA", (*kept_listing._DATA, data))
    kept_listing._code.cache_clear()  # a process that has not looked at its files yet
    main = window
    panel = main.unlock_panel
    type_text(panel.name_edit, "Testhandläggare")
    type_text(panel.passphrase_edit, PASSPHRASE)
    type_text(panel.confirm_edit, PASSPHRASE)
    with qtbot.waitSignal(main.unlocked, timeout=20_000):
        qtbot.keyClick(panel.confirm_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: main._upkeep_job is not None, timeout=30_000)
    _settled(qtbot)
    (data / "insatser.toml").write_text("# as the update installed it, longer\n")
    _lock(qtbot, main)
    kept_listing._code.cache_clear()  # the next start: the program reads the files as they are now
    try:
        _unlock(qtbot, main)
        assert reads == [False]
        _as_listed_in_full(main)
        _lock(qtbot, main)  # kept here, not at the fixture's close (with this test's files in the stamp)
    finally:
        kept_listing._code.cache_clear()


def test_a_data_file_replaced_with_the_same_size_and_time_lists_in_full(  # type: ignore[no-untyped-def]
    qtbot, bulk_window, reads, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A label corrected in place (the same length) by an install that keeps files' times (copies that keep them,
    packages with one fixed time for every file): the next start's program differs from the one that kept the lists,
    so it lists in full."""
    data = tmp_path / "data"
    data.mkdir()
    label = data / "insatser.toml"
    label.write_text('label_sv = "Hemtjänst"\n')
    monkeypatch.setattr(kept_listing, "_DATA", (*kept_listing._DATA, data))
    kept_listing._code.cache_clear()  # the process's start: its files as installed
    main = bulk_window
    try:
        _unlock(qtbot, main)
        _lock(qtbot, main)
        times = label.stat()
        label.write_text('label_sv = "Hemtjånst"\n')
        assert label.stat().st_size == times.st_size
        os.utime(label, ns=(times.st_atime_ns, times.st_mtime_ns))
        kept_listing._code.cache_clear()  # the next start: the program reads the files as they are now
        _unlock(qtbot, main)
        assert reads == [False, False]
        _as_listed_in_full(main)
        _lock(qtbot, main)
    finally:
        kept_listing._code.cache_clear()


def _format_1(listing: Any) -> bytes:
    """What the previous program wrote (``FORMAT`` 1): each column a list of strings, the work rows' strings."""
    import marshal
    from array import array

    from ui.cases.list_rows import _DEADLINE

    cases, work, columns = listing.cases, listing.work, listing.cases.columns
    dues: dict[Any, int] = {}
    states: dict[Any, int] = {}
    whats: dict[Any, int] = {}
    due_of = array("I", [dues.setdefault(due, len(dues)) for due in cases.dues])
    state_of = array("I", [states.setdefault(state, len(states)) for state in cases.states])
    what_of = array("I", [whats.setdefault(what, len(whats)) for what in work.whats])
    rows = list(work)
    return marshal.dumps((
        1, list(columns.case_ids), list(columns.case_numbers), list(columns.names),
        [(None if d is None else d.toordinal(), kind, text, urgency) for d, kind, text, urgency in dues],
        due_of.tobytes(), [(s.value, pending, conflict, fictitious, applied)
                           for s, pending, conflict, fictitious, applied in states], state_of.tobytes(),
        cases.search, cases.labels, cases.label_of.tobytes(), cases.updated.tobytes(), cases.numbers.tobytes(),
        array("I", cases.orders[_DEADLINE]).tobytes(), list(cases.builder.odd), cases.builder._applied,
        [(urgency, day.toordinal(), large, kind.value, text) for urgency, day, large, kind, text in whats],
        what_of.tobytes(), [r.case_number for r in rows], [r.case_id for r in rows], [r.name for r in rows],
    ))


def test_lists_kept_in_the_previous_format_are_not_read_and_the_unlock_lists_in_full(  # type: ignore[no-untyped-def]
    qtbot, bulk_window, reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept value of FORMAT 1 (strings a row) given to this program, even under its own stamp, is listed anew
    in full; the next lock keeps the lists in this format, which the unlock after it reads."""
    main = bulk_window
    _unlock(qtbot, main)
    with monkeypatch.context() as patched:
        patched.setattr(kept_listing, "encode", _format_1)
        _lock(qtbot, main)  # kept in the old format, stamped as this program's
        _unlock(qtbot, main)
    assert reads == [False, False]  # read, not understood: every case listed
    _as_listed_in_full(main)
    _lock(qtbot, main)
    _unlock(qtbot, main)
    assert reads[-1] is True
    _as_listed_in_full(main)


@pytest.fixture
def odd_window(qtbot, settings, profile_dir: Path) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The demo cases and three odd ones: a person without a name, a case number outside Latin-1 (its column's
    text two bytes a character) and one with Swedish letters."""
    people, cases = bulk_cases(3, date.today(), seed=3)
    names = [("", ""), ("Łucja", "Øberg"), ("Åsa", "Ängström")]
    numbers = ["ÄRENDE-ŁÓDŹ-1", "ÅÄÖ-2026-0002", "ÖVR-0003"]
    people = [p.model_copy(update={"given_name": g, "family_name": f}) for p, (g, f) in zip(people, names, strict=True)]
    cases = [c.model_copy(update={"case_number": n}) for c, n in zip(cases, numbers, strict=True)]
    main = window_over_new_profile(qtbot, settings, profile_dir, [demo_cases(date.today()), (people, cases)])
    yield main
    if main.session is not None:
        main.session.lock()


def _column(main: Any, name: str) -> list[str]:
    from ui.cases.list_rows import COLUMNS

    shown = main.case_list.shown
    return [shown.data(shown.index(row, COLUMNS.index(name))) for row in range(shown.rowCount())]


def test_an_empty_name_and_case_numbers_outside_ascii_are_shown_found_and_saved_through_the_kept_lists(  # type: ignore[no-untyped-def]
    qtbot, odd_window, reads
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    main = odd_window
    _unlocked_from_kept_lists(qtbot, main, reads)
    _as_listed_in_full(main)
    assert {"ÄRENDE-ŁÓDŹ-1", "ÅÄÖ-2026-0002", "ÖVR-0003"} <= set(_column(main, "case_number"))
    assert "" in _names(main)  # the case whose person has no name
    type_text(main.case_list.search, "łódź")
    assert _column(main, "case_number") == ["ÄRENDE-ŁÓDŹ-1"]
    main.case_list.search.clear()
    type_text(main.case_list.search, "åäö")
    assert _column(main, "case_number") == ["ÅÄÖ-2026-0002"]
    qtbot.keyClick(main.case_list.search, Qt.Key.Key_Return)
    assert main.stack.currentWidget() is main.workspace
    given = main.workspace.findChild(QLineEdit, "personGivenName")
    given.selectAll()
    type_text(given, "Żaneta")
    qtbot.keyClick(main.workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # saved, back
    assert main.stack.currentWidget() is main.case_list
    main.case_list.search.clear()
    type_text(main.case_list.search, "żaneta")
    assert _column(main, "case_number") == ["ÅÄÖ-2026-0002"]
    assert _column(main, "name")[0].startswith("Żaneta")
    main.case_list.search.clear()
    _as_listed_in_full(main)
    _lock(qtbot, main)
    _unlock(qtbot, main)
    assert reads[-1] is True
    assert any(name.startswith("Żaneta") for name in _names(main)) and "" in _names(main)
    _as_listed_in_full(main)


def test_a_profile_without_cases_keeps_and_reads_empty_lists(qtbot, settings, profile_dir: Path, reads) -> None:  # type: ignore[no-untyped-def]
    main = window_over_new_profile(qtbot, settings, profile_dir, [])
    try:
        _unlock(qtbot, main)
        _lock(qtbot, main)
        _unlock(qtbot, main)
        assert reads == [False, True]
        page = main.case_list
        assert page.model.rowCount() == 0 and len(page.work.rows) == 0
        assert page.count_label.text() == "0 av 0 ärenden"
        type_text(page.search, "testperson")
        assert page.shown.rowCount() == 0
        _as_listed_in_full(main)
    finally:
        if main.session is not None:
            main.session.lock()
