"""A pull or the integration feed behind a writer that does not end (s30-admin): a raw transaction holding the change
log's ordering lock shared, as a bulk registration does from its first chunk to its end or a session left open by
hand. On main the barrier (``ordering.settled_top``) waited for it with no bound: the pull held its connection and
never answered (the laptop's request timed out and was sent again, six times), and every push arriving meanwhile
queued behind the waiting barrier. Now the barrier gives up after ``BARRIER_TIMEOUT_SECONDS``: 503 with Retry-After,
the pushes queued behind it go on, and the next pull after the writer brings everything."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx
import psycopg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sync_support import Env, assigned_cases, server_documents, version_of
from test_change_log_barrier import _in_thread, _ordering_locks, _waiting_for_the_ordering_lock
from test_integration_api import _call, _key
from test_main_window_sync import _type, _unlock, _window

from sync.server.db import connect
from sync.server.dev import DEMO_USER
from sync.server.ordering import CHANGE_LOG_LOCK

RETRY_AFTER = 60  # ordering.BUSY_RETRY_AFTER_SECONDS, as docs/sync.md says it


@contextmanager
def _writer_that_does_not_end(env: Env) -> Iterator[psycopg.Connection[Any]]:
    """A transaction holding the ordering lock shared until the block ends (then rolled back)."""
    with connect(env.database_url) as writer:
        writer.execute("SELECT pg_advisory_xact_lock_shared(%s)", (CHANGE_LOG_LOCK,))
        yield writer
        writer.rollback()


def _busy(answer: httpx.Response) -> None:
    """The answer is 'busy, ask again later', in English, with when to ask and nothing of any record."""
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == str(RETRY_AFTER)
    body = answer.json()
    assert body["error"] == "server_busy" and body["details"] == []
    assert body["message"] == ("The server is busy with a long write and cannot answer now; nothing was changed."
                               f" Try again in {RETRY_AFTER} seconds.")


def test_a_pull_behind_a_writer_that_does_not_end_is_answered_busy_and_the_push_queued_behind_it_goes_on(
    env: Env,
) -> None:
    laptop, other = env.enroll(DEMO_USER, "laptop-one"), env.enroll(DEMO_USER, "laptop-two")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    _, cursor = laptop.pull_all()
    change = other.change(case_id, "origin_note", "Skrevs medan servern väntade", version_of(env, "case", case_id))
    with _writer_that_does_not_end(env) as writer:
        held_by = int(writer.execute("SELECT pg_backend_pid() AS pid").fetchone()["pid"])  # type: ignore[index]
        pull, pulled = _in_thread(lambda: laptop.post("/v1/pull", {"cursor": cursor, "limit": 500}))
        _waiting_for_the_ordering_lock(env, 1, [pull])
        push, pushed = _in_thread(lambda: other.push([change]))
        _waiting_for_the_ordering_lock(env, 2, [pull, push])  # the push queued behind the waiting barrier
        pull.join()
        push.join()
        _busy(pulled[0])
        assert [r["status"] for r in pushed[0].json()["results"]] == ["applied"], pushed[0].text
        # Nothing waits any more; the writer still holds its lock, and no connection was left holding another.
        assert [(lock["pid"], lock["granted"]) for lock in _ordering_locks(env)] == [(held_by, True)]
    later = laptop.post("/v1/pull", {"cursor": cursor, "limit": 500})
    assert later.status_code == 200, later.text
    assert [c["op_id"] for c in later.json()["changes"]] == [change.op_id]


def test_the_integration_feed_behind_a_writer_that_does_not_end_is_answered_busy(env: Env) -> None:
    key = _key(env)
    cursor = int(env.sql("SELECT max(seq) AS seq FROM change_log")[0]["seq"])
    with _writer_that_does_not_end(env):
        _busy(_call(env, key, "GET", f"/changes?cursor={cursor}"))
    after = _call(env, key, "GET", f"/changes?cursor={cursor}")
    assert after.status_code == 200 and after.json()["changes"] == [], after.text


def test_a_laptop_whose_pull_is_answered_busy_says_so_in_swedish_keeps_nothing_back_and_pulls_at_the_next_sync(
    qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None,
) -> None:
    window = _window(qtbot, env, tmp_path)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    _unlock(qtbot, window)
    assert window.sync is not None
    controller = window.sync.controller
    qtbot.waitUntil(lambda: controller.status.last_synced_at is not None and not controller.running
                    and window.case_list.model.rowCount() > 0, timeout=60_000)
    case_id = window.case_list.model.summary(0).case_id
    window.open_case(case_id)
    window.workspace.go_to("areas", "d5")
    _type(window.workspace.area_form.own, "skrivet före en upptagen server")
    colleague = env.enroll(DEMO_USER, "laptop-colleague")
    change = colleague.change(case_id, "origin_note", "Kollegans anteckning", version_of(env, "case", case_id))
    assert colleague.push([change]).json()["results"][0]["status"] == "applied"
    busy = ("Servern är upptagen just nu. Inget går förlorat: dina ändringar sparas och synken görs igen om en"
            " stund.")
    controller._retry_ms = 5_000  # the laptop's own retry shorter than the server's Retry-After (60 s)
    with _writer_that_does_not_end(env):
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda: busy in shown and not controller.running, timeout=60_000)
    # The push before the pull went: the edit is on the server and nothing waits on the laptop.
    assert "skrivet före en upptagen server" in str(server_documents(env, DEMO_USER)[("case", case_id)])
    assert controller.status.pending == 0
    # The next automatic sync waits as long as the server asked (Retry-After), not the laptop's shorter own retry.
    assert controller._next.isActive() and controller._next.interval() == 60_000
    # The status bar's state says the server was reached and is busy, not "Ingen anslutning" (s30-radmin: the busy
    # answer showed the unreachable server's state, sending the user to check a network that worked).
    state = window.sync.widget.findChild(QLabel, "syncStateLabel")
    assert state.text() == "Servern är upptagen", state.text()
    assert state.toolTip() == ("Synkservern nåddes men är upptagen. Inget går förlorat; synken görs igen av sig"
                               " själv.")
    synced = controller.status.last_synced_at
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: controller.status.last_synced_at != synced and not controller.running, timeout=60_000)
    assert window.session is not None
    assert window.session.profile.cases.load(case_id).origin_note == "Kollegans anteckning"
    window.session.lock()
