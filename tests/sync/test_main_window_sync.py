"""The main window syncs by itself at unlock and on Ctrl+Shift+S, against the real server and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from child_faults import inject, marked
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.exceptions import TimeoutError as WaitTimeout
from sync_support import PASSPHRASE, Env, assigned_cases, edit_all_cases, make_laptop, server_documents

from sync.server.dev import DEMO_USER
from ui.main_window import MainWindow, StartOptions
from ui.settings import SERVER_URL, SYNC_RETRY_SECONDS, AppSettings


def _type(widget: Any, text: str) -> None:
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


@pytest.fixture(autouse=True)
def _english(qapp: Any) -> None:
    """Source strings (English) here, whatever language a test before this file left installed."""
    from ui.i18n import install_language

    install_language("en")


def _window(qtbot: Any, env: Env, tmp_path: Path, before_lock: Callable[[Any], object] = lambda _laptop: None,
            ) -> MainWindow:
    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    before_lock(laptop)
    laptop.profile.lock()
    settings = AppSettings(str(tmp_path / "settings.ini"))
    settings.set(SERVER_URL, env.base_url)
    window = MainWindow(settings, StartOptions(profile_dir=tmp_path / "profile"))
    qtbot.addWidget(window)
    window.show()
    return window


def test_unlock_syncs_and_lists_the_assigned_cases(qtbot: Any, env: Env, tmp_path: Path) -> None:
    window = _window(qtbot, env, tmp_path)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        _type(window.unlock_panel.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    assert window.sync is not None
    assigned = {row["case_id"] for row in assigned_cases(env, DEMO_USER)}
    model = window.case_list.model
    # The list is read again on a worker once the sync has pulled them.
    qtbot.waitUntil(lambda: {model.summary(row).case_id for row in range(model.rowCount())} == assigned,
                    timeout=60_000)
    assert assigned
    window.session.lock() if window.session else None


def test_ctrl_shift_s_pushes_an_edit_to_the_server(qtbot: Any, env: Env, tmp_path: Path) -> None:
    window = _window(qtbot, env, tmp_path)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        _type(window.unlock_panel.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.sync.controller.status.last_synced_at is not None
                    and window.case_list.model.rowCount() > 0, timeout=60_000)  # the pulled cases listed (a worker)
    case_id = window.case_list.model.summary(0).case_id
    window.open_case(case_id)
    window.workspace.go_to("areas", "d5")
    _type(window.workspace.area_form.own, "synkordet från fönstret")
    first_sync = window.sync.controller.status.last_synced_at
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.sync.controller.status.last_synced_at != first_sync
                    and not window.sync.controller.running, timeout=60_000)
    assert window.sync.controller.status.pending == 0
    documents = server_documents(env, DEMO_USER)
    assert "synkordet från fönstret" in str(documents[("case", case_id)])
    window.session.lock() if window.session else None


def test_the_window_s_settings_are_read_on_the_ui_thread_only_while_it_syncs(qtbot: Any, env: Env, tmp_path: Path,
                                                                            monkeypatch: Any) -> None:
    """A QSettings object is not thread-safe: the first sync read the pinned certificate's setting on its worker,
    while the UI thread read and wrote the same settings object (a case opened, its splitter kept)."""
    import threading

    threads: set[str] = set()
    real_get = AppSettings.get

    def recording_get(settings: AppSettings, setting: Any) -> Any:
        threads.add(threading.current_thread().name)
        return real_get(settings, setting)

    monkeypatch.setattr(AppSettings, "get", recording_get)
    window = _window(qtbot, env, tmp_path)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        _type(window.unlock_panel.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.sync.controller.status.last_synced_at is not None, timeout=60_000)
    assert threads == {threading.main_thread().name}
    window.session.lock() if window.session else None


class _HeldPush:
    """The server's push, held mid-request while the test acts: the handler waits on an Event (no fixed sleep)."""

    def __init__(self, monkeypatch: Any) -> None:
        import threading

        from sync.server import push_service

        self.armed, self.entered, self.release = threading.Event(), threading.Event(), threading.Event()
        self.holding = 0  # pushes held, or being applied after the release
        counting = threading.Lock()
        real = push_service.push_batch

        def count(step: int) -> None:
            with counting:
                self.holding += step

        def held(*args: Any, **kwargs: Any) -> Any:
            if not self.armed.is_set():
                return real(*args, **kwargs)
            count(1)
            try:
                self.entered.set()
                self.release.wait(timeout=120)
                return real(*args, **kwargs)
            finally:
                count(-1)

        monkeypatch.setattr(push_service, "push_batch", held)


def _unlocked_until_shown(qtbot: Any, window: MainWindow, words: str) -> list[str]:
    """Unlock, then wait for a status-bar message holding ``words``; every message shown, in order (a later one may
    replace it before a look)."""
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    _unlock(qtbot, window)
    try:
        qtbot.waitUntil(lambda: any(words in text for text in shown), timeout=60_000)
    except WaitTimeout as error:
        raise AssertionError(f"no message with {words!r} among {shown!r}") from error
    return shown


def _unlock(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        _type(window.unlock_panel.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)


def _unlocked_and_listed(qtbot: Any, env: Env, tmp_path: Path) -> MainWindow:
    """The window unlocked, its first sync done and the pulled cases listed (a worker reads the list)."""
    window = _window(qtbot, env, tmp_path)
    _unlock(qtbot, window)
    controller = window.sync.controller
    qtbot.waitUntil(lambda: controller.status.last_synced_at is not None and not controller.running
                    and getattr(window, "_relisting", None) is None and window.case_list.model.rowCount() > 0,
                    timeout=60_000)
    return window


def _answers_slowly(monkeypatch: Any) -> None:
    """The sync's requests wait ten minutes for an answer instead of 30 s: a server that accepted the connection
    and answers slowly (or a network that drops packets) holds the request as long as it pleases."""
    import httpx

    from sync.client.transport import Transport

    def patient(transport: Any) -> httpx.Client:
        return httpx.Client(base_url=transport.base_url, verify=transport._verification, timeout=600.0)

    monkeypatch.setattr(Transport, "_new_client", patient)


def _applied_at_server(env: Env, ops: set[str]) -> int:
    return int(env.sql("SELECT count(*) AS n FROM change_log WHERE op_id = ANY(%s)", (sorted(ops),))[0]["n"])


def test_ctrl_l_while_the_server_holds_the_push_closes_the_store_without_waiting_for_its_answer(
        qtbot: Any, qtlog: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """A lock while the sync's push is at a server that answers slowly: the screen locks at once and the store
    closes without waiting for the answer (it held the close, a waiting restore and the quit up to the request's
    timeout). The server applies the push after all: its entries stayed pending, and the next unlock's sync pushes
    them again and is answered ``duplicate``, each change applied once; no Qt object is deleted or emitted into from
    a worker."""
    from ui.cases.case_list import CaseListPage

    _answers_slowly(monkeypatch)
    window, held, ops, profile = _locked_mid_push(qtbot, env, tmp_path, monkeypatch)
    assert window.session is None and window.stack.currentWidget() is window.unlock_panel
    assert window.sync is None
    page = window.findChild(CaseListPage)
    assert page is None or page.model.rowCount() == 0
    qtbot.waitUntil(lambda: profile.is_locked, timeout=60_000)  # the server still holds the push
    assert not held.release.is_set() and _applied_at_server(env, ops) == 0

    held.armed.clear()
    held.release.set()
    qtbot.waitUntil(lambda: _applied_at_server(env, ops) == len(ops), timeout=60_000)  # applied, answer unheard
    _unlock(qtbot, window)
    reports: list[Any] = []
    window.sync.controller.sync_finished.connect(reports.append)  # the first sync starts once the list is painted
    _synced_once(qtbot, qtlog, env, window, ops)
    assert [(report.duplicates, report.applied) for report in reports] == [(len(ops), 0)]


def test_an_unlock_while_the_server_still_holds_the_locked_session_s_push_applies_each_change_once(
        qtbot: Any, qtlog: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """Unlocked again while the server still holds the push the lock gave up: the new session's sync pushes the
    same changes beside it, and the server applies each once, whichever comes first."""
    _answers_slowly(monkeypatch)
    window, held, ops, profile = _locked_mid_push(qtbot, env, tmp_path, monkeypatch)
    qtbot.waitUntil(lambda: profile.is_locked, timeout=60_000)
    held.armed.clear()  # the next push is answered at once
    _unlock(qtbot, window)
    _synced_once(qtbot, qtlog, env, window, ops)
    held.release.set()
    qtbot.waitUntil(lambda: not held.holding, timeout=60_000)  # the held push applied now: nothing again
    rows = env.sql("SELECT op_id, count(*) AS n FROM change_log WHERE op_id = ANY(%s) GROUP BY op_id", (sorted(ops),))
    assert {r["op_id"] for r in rows} == ops and all(r["n"] == 1 for r in rows)


def test_the_window_closed_while_the_server_holds_the_push_closes_its_store_at_quit_without_the_answer(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """Quit (the window closed) while the sync's push is held at a server that answers slowly: the store stays
    open for the worker until ``ui.app.run``'s last step, after the event loop, which waits for the workers; they do
    not wait for the answer, so the quit ends and the store is closed while the server still holds the request. No
    window callback runs then (an unlock finishing would open a session)."""
    from PySide6.QtCore import QThreadPool

    from ui.common.worker import deliver_finished_jobs

    _answers_slowly(monkeypatch)
    window = _window(qtbot, env, tmp_path, lambda laptop: (laptop.sync(), edit_all_cases(laptop, "origin_note", "x")))
    held = _HeldPush(monkeypatch)
    held.armed.set()
    _unlock(qtbot, window)
    profile = window.session.profile
    qtbot.waitUntil(held.entered.is_set, timeout=60_000)
    window.close()
    assert window.session is None and not profile.is_locked
    assert QThreadPool.globalInstance().waitForDone(60_000)  # what ui.app.run does once app.exec() returned
    deliver_finished_jobs()
    assert profile.is_locked and not held.release.is_set()
    held.armed.clear()
    held.release.set()


def _locked_mid_push(qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> tuple[Any, _HeldPush, set[str], Any]:
    """A window whose first sync's push is held at the server, locked with Ctrl+L; returns it, the held push, the op
    ids that were pending and the store the lock left open for the worker."""
    ops: set[str] = set()

    def edit_every_case(laptop: Any) -> None:
        laptop.sync()
        ops.update(edit_all_cases(laptop, "origin_note", "skrivet före låsningen"))

    window = _window(qtbot, env, tmp_path, edit_every_case)
    held = _HeldPush(monkeypatch)
    held.armed.set()
    _unlock(qtbot, window)
    profile = window.session.profile
    qtbot.waitUntil(held.entered.is_set, timeout=60_000)  # the first sync's push is at the server
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    return window, held, ops, profile


def _synced_once(qtbot: Any, qtlog: Any, env: Env, window: Any, ops: set[str]) -> None:
    """The unlocked window's sync ran to the end: every op applied once on the server, nothing pending, and no Qt
    warning of an object deleted or stopped from another thread."""
    qtbot.waitUntil(lambda: window.sync is not None and window.sync.controller.status.last_synced_at is not None
                    and not window.sync.controller.running, timeout=60_000)
    assert window.session.profile.journal.pending_count() == 0
    rows = env.sql("SELECT op_id, count(*) AS n FROM change_log WHERE device_id = %s GROUP BY op_id",
                   (window.session.profile.device_id,))
    assert {r["op_id"] for r in rows} == ops and all(r["n"] == 1 for r in rows)
    assert all(document.get("origin_note") == "skrivet före låsningen"
               for (kind, _), document in server_documents(env, DEMO_USER).items() if kind == "case")
    messages = [record.message for record in qtlog.records]
    assert not [m for m in messages if "another thread" in m or "QObject" in m], messages
    window.session.lock()


def test_ctrl_l_while_the_sync_waits_to_retry_an_unreachable_server_closes_the_store_without_the_retries(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """The network is gone (every connection refused) and the first sync after unlock waits to try again: Ctrl+L
    ends that wait and makes no further attempt, so the store closes then, not after every retry (six attempts with
    their waits, and each attempt up to its 30 s timeout when packets are dropped, held the lock's close and quit
    for minutes). The wait between attempts is made ten minutes long here: before the fix the store stayed open.
    The sync's child process (``sync.child``) is killed by the lock: it is gone once the store is closed."""
    faults = tmp_path / "faults"
    inject(monkeypatch, faults, "refused_then_long_wait")
    window = _window(qtbot, env, tmp_path)
    _unlock(qtbot, window)
    profile = window.session.profile
    qtbot.waitUntil(lambda: marked(faults, "waiting") != [], timeout=60_000)  # refused once; waits to retry
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.session is None and window.stack.currentWidget() is window.unlock_panel
    qtbot.waitUntil(lambda: profile.is_locked, timeout=20_000)
    assert len(marked(faults, "attempts")) == 1  # no attempt after the lock
    [pid] = marked(faults, "pids")
    assert not _alive(int(pid))


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie has ended: the window waits for its child when it kills it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[-1].startswith("Z"))


def test_after_a_sync_failed_for_want_of_network_the_system_s_report_that_it_is_back_syncs_at_once(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """The window hears the system's network reports from its first failed sync on (ui.window_sync: the unlocked
    list loads nothing of QtNetwork before): the network is gone at the unlock, the first sync leaves the laptop
    offline with its retry a minute away, and when the system says the network is back it syncs at once."""
    from PySide6.QtNetwork import QNetworkInformation

    faults = tmp_path / "faults"
    inject(monkeypatch, faults, "refused_while_gone")
    (faults / "gone").touch()
    window = _window(qtbot, env, tmp_path)
    # One attempt: the fault refuses at once and waits nothing between attempts, which the retry time alone (15 s)
    # would repeat until it is over.
    window.settings.set(SYNC_RETRY_SECONDS, 0)
    _unlock(qtbot, window)
    assert window.sync is not None
    controller = window.sync.controller
    qtbot.waitUntil(lambda: controller.status.state == "offline", timeout=60_000)
    planned = controller.next_sync_in_ms()
    assert planned is not None and planned > 30_000 and controller.status.last_synced_at is None
    (faults / "gone").unlink()
    info = QNetworkInformation.instance()
    assert info is not None  # the watch the failed sync started
    info.reachabilityChanged.emit(QNetworkInformation.Reachability.Online)
    qtbot.waitUntil(lambda: controller.status.last_synced_at is not None, timeout=60_000)
    assert controller.status.state == "idle"
    window.session.lock() if window.session else None


def test_a_retirement_beside_a_push_batch_without_answer_tells_the_person_the_rest_goes_at_the_next_sync(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """IT retires the computer while two of the push's batches are on the server: the second is answered with the
    retire instruction, the first gets no answer (the network went). Nothing is wiped and no conflict exists: the
    status bar says the unsent work goes at the next sync, not "resolve the conflicts" (there are none)."""
    from sync_support import edit_case

    ops: list[str] = []
    device: list[str] = []

    def three_noted(laptop: Any) -> None:
        device.append(laptop.profile.device_id)
        laptop.sync()
        for index, summary in enumerate(laptop.profile.cases.list_summaries()[:3]):
            edit_case(laptop.profile, summary.case_id, origin_note=f"Anteckning {index}")
        ops.extend(change.op_id for change in laptop.profile.journal.pending(limit=10))

    window = _window(qtbot, env, tmp_path, before_lock=three_noted)
    inject(monkeypatch, tmp_path / "faults", "retired_beside_a_lost_batch", database_url=env.database_url,
           device=device[0], ops=ops)
    shown = _unlocked_until_shown(qtbot, window, "revoked")  # the unlock's sync pushes the three notes
    assert window.session is not None and not window.session.profile.sync.conflicts()
    assert window.session.profile.journal.pending_count()  # nothing wiped: the rest goes at the next sync
    message = next(text for text in shown if "revoked" in text)
    assert "conflict" not in message and "next sync" in message
    window.session.lock() if window.session else None


def test_a_sync_that_brings_nothing_leaves_the_listed_rows_as_they_are(qtbot: Any, env: Env, tmp_path: Path) -> None:
    """In step with the server, the unlock's sync only sends its audit entries: the list is not read again (at
    10,000 cases that re-read cost the UI thread the whole listing and kept ~30 MiB resident)."""
    from sync.client.engine import sync_now

    window = _window(qtbot, env, tmp_path, before_lock=lambda laptop: sync_now(laptop.session, laptop.profile))
    _unlock(qtbot, window)
    model = window.case_list.model
    listed = model.rowCount()
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    qtbot.waitUntil(lambda: window.sync.controller.status.last_synced_at is not None
                    and not window.sync.controller.running, timeout=60_000)
    assert listed and model.rowCount() == listed
    assert resets == []
    window.session.lock() if window.session else None


def _listed_cells(page: Any) -> list[tuple[str, ...]]:
    """What a case list page shows, row by row in its order, as the person reads it."""
    shown = page.shown
    return [tuple(str(shown.data(shown.index(row, column)) or "") for column in range(shown.columnCount()))
            for row in range(shown.rowCount())]


def _listed_anew(window: MainWindow, qtbot: Any) -> list[tuple[str, ...]]:
    """The same list read whole from the store into a fresh page, sorted and searched alike."""
    from ui.cases.case_list import CaseListPage

    page, session = window.case_list, window.session
    fresh = CaseListPage(page.model.ref, today=session.today)
    qtbot.addWidget(fresh)
    fresh.set_rows(session.profile.cases.list_summaries(), ever_synced=session.profile.sync.cursor() > 0,
                   withdrawn=frozenset(session.profile.withdrawals.kept()))
    header = page.table.horizontalHeader()
    fresh.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
    fresh.shown.set_query(page.search.text())
    return _listed_cells(fresh)


def test_after_a_sync_that_pushed_and_pulled_the_list_is_read_off_the_ui_thread_and_shows_exactly_the_store(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """Ctrl+Shift+S pushes this laptop's edit and pulls another laptop's change of a listed column: the list then
    shows cell by cell what a whole listing shows (search and sort kept), read on a worker (not the UI thread) and
    with SQLCipher's page cache given back after it."""
    import threading

    from storage.profile import Profile
    from storage.repositories.cases import CaseRepository

    window = _window(qtbot, env, tmp_path)
    _unlock(qtbot, window)
    controller = window.sync.controller
    qtbot.waitUntil(lambda: controller.status.last_synced_at is not None and not controller.running
                    and getattr(window, "_relisting", None) is None and window.case_list.model.rowCount() > 0,
                    timeout=60_000)  # the cases pulled, and listed
    other = make_laptop(env, tmp_path / "other", DEMO_USER)
    other.sync()
    model = window.case_list.model
    ids = [model.summary(row).case_id for row in range(model.rowCount())]
    person = other.profile.people.load(other.profile.cases.load(ids[0]).person_id)
    person.family_name = "Annandatorsson"  # the list's name column, changed on another laptop
    other.profile.people.save(person)
    other.sync()
    window.open_case(ids[0])
    window.workspace.go_to("areas", "d5")
    _type(window.workspace.area_form.own, "synkat")
    window.show_case_list()
    _type(window.case_list.search, "annandator")  # shows nothing until the pull
    reads: list[bool] = []
    released: list[int] = []
    read_summaries, release = CaseRepository.read_summaries, Profile.release_memory
    monkeypatch.setattr(CaseRepository, "read_summaries", lambda self, *a, **k: (
        reads.append(threading.current_thread() is threading.main_thread()), read_summaries(self, *a, **k))[1])
    monkeypatch.setattr(Profile, "release_memory", lambda self: (released.append(1), release(self))[0])
    first_sync = controller.status.last_synced_at
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: controller.status.last_synced_at != first_sync and not controller.running
                    and bool(reads) and getattr(window, "_relisting", None) is None, timeout=60_000)
    assert controller.status.pending == 0
    assert reads and not any(reads)  # read, and never on the UI thread
    assert released
    cells = _listed_cells(window.case_list)
    assert cells == _listed_anew(window, qtbot) and cells
    window.session.lock() if window.session else None


def _registered_here(env: Env, _window: MainWindow) -> None:
    """A new case registered centrally for this handläggare: the next pull brings it (a new row)."""
    from datetime import date

    from ibic.demo import bulk_cases
    from sync.server import central
    from sync.server.db import connect
    from sync.server.dev import DEMO_UNIT

    people, cases = bulk_cases(1, date.today(), seed=7)
    with connect(env.database_url) as conn:
        central.register_case(conn, cases[0].model_dump(mode="json"), people[0].model_dump(mode="json"), DEMO_UNIT,
                              DEMO_USER)


def _moved_away(env: Env, window: MainWindow) -> None:
    """One of the listed cases reassigned to another unit: the next sync removes it (a row goes)."""
    from sync.server import central
    from sync.server.db import connect
    from sync.server.dev import OTHER_UNIT, OTHER_USER

    with connect(env.database_url) as conn:
        central.assign_case(conn, window.case_list.model.summary(0).case_id, OTHER_UNIT, OTHER_USER)


def _conflicting(env: Env, window: MainWindow, tmp_path: Path) -> None:
    """The same note changed here and, differently, on another laptop that synced first: a conflict."""
    from sync_support import edit_case

    case_id = window.case_list.model.summary(0).case_id
    other = make_laptop(env, tmp_path / "other", DEMO_USER)
    other.sync()
    edit_case(other.profile, case_id, origin_note="skrivet på en annan dator")
    other.sync()
    edit_case(window.session.profile, case_id, origin_note="skrivet här")


@pytest.mark.parametrize("change", ["registered", "moved_away", "conflict", "push_only"])
def test_after_a_sync_the_list_shows_exactly_what_a_whole_listing_shows(
        qtbot: Any, env: Env, tmp_path: Path, change: str) -> None:
    """A sync from the list that brings a new case, takes one away, meets a conflict or only pushes an edit: the
    rows, each cell and their order are those of the store listed whole, sorted by name as the person sorted it."""
    window = _unlocked_and_listed(qtbot, env, tmp_path)
    controller = window.sync.controller
    if change == "registered":
        _registered_here(env, window)
    elif change == "moved_away":
        _moved_away(env, window)
    elif change == "conflict":
        _conflicting(env, window, tmp_path)
    else:
        from sync_support import edit_case

        edit_case(window.session.profile, window.case_list.model.summary(0).case_id, origin_note="bara här")
    header = window.case_list.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2))  # by name
    before = _listed_cells(window.case_list)
    first_sync = controller.status.last_synced_at
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: controller.status.last_synced_at != first_sync and not controller.running
                    and getattr(window, "_relisting", None) is None, timeout=60_000)
    cells = _listed_cells(window.case_list)
    assert cells == _listed_anew(window, qtbot) and cells
    if change != "push_only":
        assert cells != before
    if change == "conflict":
        assert controller.status.conflicts == 1
    window.session.lock() if window.session else None


def test_a_pull_through_the_bulk_path_shows_the_new_note_in_the_open_case_and_leaves_the_list_as_a_listing_shows(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """Another laptop's edit of a whole entry outside the summary (the note on how the case arose) is the pull's
    bulk path's record (``storage.repositories.pulled_bulk``): after Ctrl+Shift+S the open case shows the pulled
    note, and the list shows cell by cell what a whole listing shows."""
    from sync_support import edit_case

    window = _unlocked_and_listed(qtbot, env, tmp_path)
    controller = window.sync.controller
    case_id = window.case_list.model.summary(0).case_id
    other = make_laptop(env, tmp_path / "other", DEMO_USER)
    other.sync()
    edit_case(other.profile, case_id, origin_note="Ändrat på en annan dator")
    other.sync()
    faults = tmp_path / "faults"
    inject(monkeypatch, faults, "bulk_claims_noted")  # the sync below runs in a child: noted there
    window.open_case(case_id)
    window.workspace.go_to("case")
    assert window.workspace.case_page.origin_note.text() != "Ändrat på en annan dator"
    first_sync = controller.status.last_synced_at
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: controller.status.last_synced_at != first_sync and not controller.running,
                    timeout=60_000)
    assert marked(faults, "claimed") == [case_id]  # the bulk path took it
    qtbot.waitUntil(lambda: window.workspace.case_page.origin_note.text() == "Ändrat på en annan dator",
                    timeout=20_000)
    window.show_case_list()
    qtbot.waitUntil(lambda: getattr(window, "_relisting", None) is None, timeout=20_000)
    cells = _listed_cells(window.case_list)
    assert cells == _listed_anew(window, qtbot) and cells
    window.session.lock() if window.session else None


def _named_blank(laptop: Any) -> None:
    """A person's name made blank on a laptop that has no such rule (the repository takes it; the dialog would not)."""
    laptop.sync()
    person = laptop.profile.people.load(laptop.profile.cases.list_summaries()[0].person_id)
    person.given_name = " "
    laptop.profile.people.save(person)


def test_a_change_the_server_refuses_is_told_in_swedish_and_not_sent_again(
    qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None
) -> None:
    window = _window(qtbot, env, tmp_path, before_lock=_named_blank)
    shown = _unlocked_until_shown(qtbot, window, "avvisades av servern")  # the unlock's sync pushes the blank name
    controller = window.sync.controller
    qtbot.waitUntil(lambda: not controller.running, timeout=60_000)
    assert window.session is not None and window.session.profile.journal.pending_count() == 0
    told = len([text for text in shown if "avvisades" in text])
    synced = controller.status.last_synced_at
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: controller.status.last_synced_at != synced and not controller.running, timeout=60_000)
    assert len([text for text in shown if "avvisades" in text]) == told  # not sent again, so not refused again
    assert all(document.get("given_name") != " " for document in server_documents(env, DEMO_USER).values())
    window.session.lock() if window.session else None
