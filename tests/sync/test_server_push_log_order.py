"""A push takes no change-log seq before it holds the ordering lock, over HTTP to a real server: the lock is taken by
the change log's INSERT itself (one statement, s21-pushsrv), so a seq taken early would be visible out of commit
order to a pull running meanwhile."""

from __future__ import annotations

import threading
import time

import httpx
from sync_support import Env, assigned_cases, version_of

from sync.server.db import connect
from sync.server.dev import DEMO_USER
from sync.server.ordering import lock_change_log


def _last_seq(env: Env) -> int:
    # A sequence's last value is seen by every session at once, committed or not.
    return int(env.sql("SELECT last_value FROM change_log_seq_seq")[0]["last_value"])


def test_a_push_waiting_for_the_ordering_lock_has_taken_no_seq_and_lands_after_it(env: Env) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-one")
    case_ids = [c["case_id"] for c in assigned_cases(env, DEMO_USER)[:3]]
    changes = [laptop.change(case_id, "origin_note", f"Anteckning {n} med \"citat\" och ä", version_of(env, "case",
                                                                                                    case_id))
               for n, case_id in enumerate(case_ids)]
    answers: list[httpx.Response] = []
    with connect(env.database_url) as holder:
        lock_change_log(holder)  # another transaction appending to the change log, not yet committed
        before = _last_seq(env)
        thread = threading.Thread(target=lambda: answers.append(laptop.push(changes)))
        thread.start()
        deadline = time.monotonic() + 30
        while not env.sql("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"):
            assert thread.is_alive() and time.monotonic() < deadline, "the push never waited for the ordering lock"
            time.sleep(0.01)
        assert _last_seq(env) == before
        holder.commit()
        thread.join(30)

    assert not thread.is_alive() and answers[0].status_code == 200
    assert [r["status"] for r in answers[0].json()["results"]] == ["applied"] * 3
    rows = env.sql("SELECT seq, op_id FROM change_log WHERE op_id = ANY(%s) ORDER BY seq",
                   ([c.op_id for c in changes],))
    assert [r["op_id"] for r in rows] == [c.op_id for c in changes]  # the batch's order kept in the seqs
    assert all(int(r["seq"]) > before for r in rows)
