"""Writers of the change log side by side, readers behind a barrier (sync/server/ordering.py), over HTTP to a real
server: a writer holding a lower seq uncommitted (a raw transaction that took the ordering lock shared and appended a
row, as a push's last statement does, or a withdrawal) while a push commits a higher one. A pull or the integration
feed started meanwhile answers once that writer has ended, with both seqs (or past the one rolled back), never with
the higher one and a cursor past the lower (which would be skipped for ever). Each fails on main, where the push
waits for the held writer (one writer at a time); without the barrier, the pull, the feed and the withdrawal tests
fail on their answers (checked by taking the barrier out)."""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import psycopg
from sync_support import Device, Env, ProcessServer, assigned_cases, new_config, version_of
from test_integration_api import _call, _key

from sync.server.db import connect
from sync.server.dev import DEMO_USER, OTHER_UNIT, OTHER_USER
from sync.server.ordering import CHANGE_LOG_LOCK
from sync.server.push_service import LogRow, append_log
from sync.server.withdrawals import Withdrawal, record_withdrawal

_LOCKS = ("SELECT l.pid, l.mode, l.granted FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objid = %s"
          " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")


def _ordering_locks(env: Env) -> list[dict[str, Any]]:
    return env.sql(_LOCKS, (CHANGE_LOG_LOCK,))


def _in_thread(request: Callable[[], httpx.Response]) -> tuple[threading.Thread, list[httpx.Response]]:
    answers: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: answers.append(request()))
    thread.start()
    return thread, answers


def _waited_for_the_ordering_lock(env: Env, thread: threading.Thread) -> bool:
    """True once the request waits for the ordering lock; False when it answered without waiting."""
    deadline = time.monotonic() + 60
    while thread.is_alive():
        if any(not lock["granted"] for lock in _ordering_locks(env)):
            return True
        assert time.monotonic() < deadline, "the request neither answered nor waited for the ordering lock"
        time.sleep(0.01)
    return False


@contextmanager
def _lower_seq_held(env: Env, case_id: str) -> Iterator[tuple[psycopg.Connection[Any], int]]:
    """A writer's transaction holding a change of ``case_id`` under a seq of its own, not committed."""
    with connect(env.database_url) as writer:
        op_id = uuid.uuid4().hex
        append_log(writer, [LogRow("case", case_id, "origin_note", "set", "Tidigare anteckning", 99, op_id,
                                   "laptop-three")])
        row = writer.execute("SELECT seq FROM change_log WHERE op_id = %s", (op_id,)).fetchone()
        assert row is not None
        yield writer, int(row["seq"])


def _higher_seq_committed(env: Env, device: Device, case_id: str) -> int:
    """``device`` pushes an edit of ``case_id`` while another writer holds a lower seq: it is applied without
    waiting for that writer (writers share the lock); its seq."""
    change = device.change(case_id, "origin_note", "Senare anteckning", version_of(env, "case", case_id))
    thread, answers = _in_thread(lambda: device.push([change]))
    assert not _waited_for_the_ordering_lock(env, thread), "the push waited for the other writer"
    thread.join()
    assert [r["status"] for r in answers[0].json()["results"]] == ["applied"], answers[0].text
    return int(env.sql("SELECT seq FROM change_log WHERE op_id = %s", (change.op_id,))[0]["seq"])


def _pull(device: Device, cursor: int) -> Callable[[], httpx.Response]:
    return lambda: device.post("/v1/pull", {"cursor": cursor, "limit": 500})


def _answer_after(env: Env, request: Callable[[], httpx.Response], end: Callable[[], None]) -> tuple[Any, bool]:
    """``request`` sent while a writer holds a lower seq, then the writer ended by ``end``: the answer's body, and
    whether the request waited for the ordering lock (the barrier) before answering."""
    thread, answers = _in_thread(request)
    waited = _waited_for_the_ordering_lock(env, thread)
    end()
    thread.join()
    assert answers[0].status_code == 200, answers[0].text
    return answers[0].json(), waited


def _pull_beside_a_held_writer(env: Env, end: Callable[[psycopg.Connection[Any]], None],
                               pull_at: str | None = None) -> tuple[Any, bool, int, int]:
    """A pull sent while a writer holds a lower seq and a push has committed a higher one, the writer then ended by
    ``end``: the pull's body, whether it waited for the barrier, the lower seq and the higher. ``pull_at``: another
    server's address for the pull (the push goes to the env's)."""
    laptop, other = env.enroll(DEMO_USER, "laptop-one"), env.enroll(DEMO_USER, "laptop-two")
    if pull_at is not None:
        laptop = dataclasses.replace(laptop, base_url=pull_at)
    early, late = [c["case_id"] for c in assigned_cases(env, DEMO_USER)[:2]]
    _, cursor = laptop.pull_all()
    with _lower_seq_held(env, early) as (writer, low):
        high = _higher_seq_committed(env, other, late)
        body, waited = _answer_after(env, _pull(laptop, cursor), lambda: end(writer))
    assert high > low
    return body, waited, low, high


def test_a_pull_while_a_lower_seq_is_uncommitted_answers_after_it_with_both(env: Env) -> None:
    body, waited, low, high = _pull_beside_a_held_writer(env, lambda writer: writer.commit())
    assert [c["seq"] for c in body["changes"]] == [low, high], "a seq committed late was skipped"
    assert body["next_cursor"] == high and waited


def test_a_pull_at_another_server_process_waits_for_a_writer_of_this_one(env: Env) -> None:
    """The lock is the database's: a second ``python -m sync.server`` on the same database holds its pull back too."""
    second = ProcessServer(new_config(env.database_url, token_secret=env.config.token_secret)).start()
    try:
        body, waited, low, high = _pull_beside_a_held_writer(
            env, lambda writer: writer.commit(), pull_at=f"http://127.0.0.1:{second.config.port}")
    finally:
        second.stop()
    assert [c["seq"] for c in body["changes"]] == [low, high], "a seq committed late was skipped"
    assert body["next_cursor"] == high and waited


def test_a_pull_while_a_lower_seq_is_uncommitted_answers_past_it_once_rolled_back(env: Env) -> None:
    body, waited, _, high = _pull_beside_a_held_writer(env, lambda writer: writer.rollback())
    assert [c["seq"] for c in body["changes"]] == [high] and body["next_cursor"] == high
    assert waited and _ordering_locks(env) == []


def test_the_integration_feed_while_a_lower_seq_is_uncommitted_answers_after_it_with_both(env: Env) -> None:
    key = _key(env)
    laptop = env.enroll(DEMO_USER, "laptop-two")
    early, late = [c["case_id"] for c in assigned_cases(env, DEMO_USER)[:2]]
    cursor = int(env.sql("SELECT max(seq) AS seq FROM change_log")[0]["seq"])
    with _lower_seq_held(env, early) as (writer, low):
        high = _higher_seq_committed(env, laptop, late)
        body, waited = _answer_after(env, lambda: _call(env, key, "GET", f"/changes?cursor={cursor}"), writer.commit)
    assert [c["seq"] for c in body["changes"]] == [low, high], "a seq committed late was skipped"
    assert body["next_cursor"] == high and waited


def test_a_withdrawal_uncommitted_below_a_committed_push_reaches_the_pull_that_waited_for_it(env: Env) -> None:
    laptop, other = env.enroll(DEMO_USER, "laptop-one"), env.enroll(DEMO_USER, "laptop-two")
    moved, late = [c["case_id"] for c in assigned_cases(env, DEMO_USER)[:2]]
    _, cursor = laptop.pull_all()
    with connect(env.database_url) as central:
        # What a reassignment does in its transaction: the case to the other unit, the withdrawal under a seq.
        central.execute("UPDATE case_access SET unit_id = %s, assigned_user_id = %s WHERE case_id = %s",
                        (OTHER_UNIT, OTHER_USER, moved))
        record_withdrawal(central, Withdrawal(moved, DEMO_USER, version_of(env, "case", moved), None, 0))
        low = int(central.execute("SELECT max(seq) AS seq FROM case_withdrawals").fetchone()["seq"])  # type: ignore[index]
        high = _higher_seq_committed(env, other, late)
        assert high > low
        body, waited = _answer_after(env, _pull(laptop, cursor), central.commit)
    assert [(w["seq"], w["case_id"]) for w in body["withdrawn"]] == [(low, moved)], "the withdrawal was skipped"
    assert [c["seq"] for c in body["changes"]] == [high] and body["next_cursor"] == high and waited


def test_two_writers_hold_the_ordering_lock_at_once_and_the_second_push_commits_first(env: Env) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-two")
    early, late = [c["case_id"] for c in assigned_cases(env, DEMO_USER)[:2]]
    with _lower_seq_held(env, early) as (writer, low):
        held_by = int(writer.execute("SELECT pg_backend_pid() AS pid").fetchone()["pid"])  # type: ignore[index]
        high = _higher_seq_committed(env, laptop, late)
        # Committed and visible while the lower seq's writer still holds the lock, shared.
        assert env.sql("SELECT seq FROM change_log WHERE seq IN (%s, %s)", (low, high)) == [{"seq": high}]
        assert [(lock["pid"], lock["mode"], lock["granted"]) for lock in _ordering_locks(env)] == [
            (held_by, "ShareLock", True)]
        writer.commit()
    assert [r["seq"] for r in env.sql("SELECT seq FROM change_log WHERE seq IN (%s, %s) ORDER BY seq",
                                      (low, high))] == [low, high]


def _waiting_for_the_ordering_lock(env: Env, count: int, threads: list[threading.Thread]) -> None:
    """Until ``count`` requests wait for the ordering lock; fails when one of ``threads`` answered instead."""
    deadline = time.monotonic() + 60
    while sum(not lock["granted"] for lock in _ordering_locks(env)) < count:
        assert all(thread.is_alive() for thread in threads), "a request answered without waiting"
        assert time.monotonic() < deadline, "the requests never waited for the ordering lock"
        time.sleep(0.01)


def test_a_push_arriving_while_a_pull_waits_at_the_barrier_queues_behind_it(env: Env) -> None:
    """A stream of pushes cannot starve a pull: a push that comes while the pull's barrier waits for a writer in
    flight waits behind the barrier (PostgreSQL queues a shared request behind a waiting exclusive one), and the pull
    answers once that writer ends. Its top was read before its wait, below both seqs, so it answers nothing new and
    keeps its cursor; the next pull brings both."""
    laptop, other = env.enroll(DEMO_USER, "laptop-one"), env.enroll(DEMO_USER, "laptop-two")
    early, late = [c["case_id"] for c in assigned_cases(env, DEMO_USER)[:2]]
    _, cursor = laptop.pull_all()
    change = other.change(late, "origin_note", "Senare anteckning", version_of(env, "case", late))
    with _lower_seq_held(env, early) as (writer, low):
        pull, pulled = _in_thread(_pull(laptop, cursor))
        _waiting_for_the_ordering_lock(env, 1, [pull])
        push, pushed = _in_thread(lambda: other.push([change]))
        _waiting_for_the_ordering_lock(env, 2, [pull, push])  # the push behind the barrier, not granted beside it
        writer.commit()
        pull.join()
        push.join()
    assert [r["status"] for r in pushed[0].json()["results"]] == ["applied"], pushed[0].text
    body = pulled[0].json()
    assert body["changes"] == [] and body["next_cursor"] == cursor < low
    later = laptop.post("/v1/pull", {"cursor": cursor, "limit": 500}).json()
    newcomer = int(env.sql("SELECT seq FROM change_log WHERE op_id = %s", (change.op_id,))[0]["seq"])
    assert [c["seq"] for c in later["changes"]] == [low, newcomer] and later["next_cursor"] == newcomer
