"""A push takes no change-log seq before it holds the ordering lock, over HTTP to a real server: the lock is taken by
the change log's INSERT itself (one statement, s21-pushsrv), so a seq taken before it would escape a reader's
barrier (sync/server/ordering.py) and be skipped by a pull that passed the barrier while the push was in flight. A
push waits for a barrier (the lock held exclusive, as a pull or the feed takes it), and its lock is the
transaction's (a session's lock would stay with the pooled connection and stop every later barrier). Writers hold
the lock shared and do not wait for each other: tests/sync/test_change_log_barrier.py."""

from __future__ import annotations

import threading
import time

import httpx
from sync_support import Env, assigned_cases, version_of

from sync.server.db import connect
from sync.server.dev import DEMO_USER
from sync.server.ordering import CHANGE_LOG_LOCK


def _seq_taken(env: Env) -> tuple[int, bool]:
    # A sequence's state is seen by every session at once, committed or not (is_called: its first value is taken).
    row = env.sql("SELECT last_value, is_called FROM change_log_seq_seq")[0]
    return int(row["last_value"]), bool(row["is_called"])


def _advisory_locks(env: Env, granted: bool) -> list[dict[str, object]]:
    return env.sql("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted = %s AND database ="
                   " (SELECT oid FROM pg_database WHERE datname = current_database())", (granted,))


def test_a_push_waiting_for_a_readers_barrier_has_taken_no_seq_and_lands_after_it(env: Env) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-one")
    case_ids = [c["case_id"] for c in assigned_cases(env, DEMO_USER)[:3]]
    changes = [laptop.change(case_id, "origin_note", f"Anteckning {n} med \"citat\" och ä", version_of(env, "case",
                                                                                                    case_id))
               for n, case_id in enumerate(case_ids)]
    answers: list[httpx.Response] = []
    with connect(env.database_url) as holder:
        # A reader's barrier, held (a pull lets it go at once): the lock exclusive until this transaction ends.
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (CHANGE_LOG_LOCK,))
        before = _seq_taken(env)
        thread = threading.Thread(target=lambda: answers.append(laptop.push(changes)))
        thread.start()
        deadline = time.monotonic() + 30
        while not _advisory_locks(env, granted=False):
            assert thread.is_alive() and time.monotonic() < deadline, "the push never waited for the ordering lock"
            time.sleep(0.01)
        assert _seq_taken(env) == before
        holder.commit()
        thread.join(30)

    assert not thread.is_alive() and answers[0].status_code == 200
    assert [r["status"] for r in answers[0].json()["results"]] == ["applied"] * 3
    rows = env.sql("SELECT seq, op_id FROM change_log WHERE op_id = ANY(%s) ORDER BY seq",
                   ([c.op_id for c in changes],))
    assert [r["op_id"] for r in rows] == [c.op_id for c in changes]  # the batch's order kept in the seqs
    assert all(int(r["seq"]) > before[0] for r in rows)
    assert _advisory_locks(env, granted=True) == []  # released with the push's commit
