"""A push whose first attempt fails inside the server (its database connection dropped while it waited to append
to the change log, with its records locked and its ops answered) stores nothing; the laptop's retry applies each op
once, beside another device's batch on the same case that waited for it."""

from __future__ import annotations

import threading
from typing import Any

from sync_support import Env, assigned_cases, backends_waiting_for_a_lock, version_of, waiting_on_the_change_log

from sync.server.db import connect
from sync.server.dev import DEMO_USER
from sync.server.ordering import CHANGE_LOG_LOCK


def test_a_push_failing_inside_the_server_stores_nothing_and_its_retry_applies_each_op_once(env: Env) -> None:
    one, two = env.enroll(DEMO_USER, "laptop-a"), env.enroll(DEMO_USER, "laptop-b")
    case = assigned_cases(env, DEMO_USER)[0]["case_id"]
    version = version_of(env, "case", case)
    batch = [one.change(case, "origin_note", "första \"försöket\"\u2028", version),
             one.change(case, "discharge", {"hospital_ward": "Avd \"1\"", "sip_meeting_on": None}, version + 1),
             one.change(case, "discharge", None, version + 2, op="remove")]
    stored = env.stored_counts()
    answers: dict[str, Any] = {}
    with connect(env.database_url) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (CHANGE_LOG_LOCK,))
        first = threading.Thread(target=lambda: answers.update(first=one.push(batch)))
        first.start()
        [backend] = waiting_on_the_change_log(env, 1)
        # The other device's batch on the same case waits for the first one's record lock.
        other = threading.Thread(target=lambda: answers.update(other=two.push(
            [two.change(case, "chosen_provider", "andra enheten", version)])))
        other.start()
        backends_waiting_for_a_lock(env, 2)
        env.sql("SELECT pg_terminate_backend(%s)", (backend,))
        first.join(timeout=60)
        holder.execute("SELECT pg_advisory_unlock(%s)", (CHANGE_LOG_LOCK,))
    other.join(timeout=60)
    assert answers["first"].status_code >= 500  # the laptop retries a 5xx
    assert answers["other"].status_code == 200
    assert [r["status"] for r in answers["other"].json()["results"]] == ["applied"]
    after_other = env.stored_counts()
    assert after_other["change_log"] == stored["change_log"] + 1  # the failed attempt stored nothing
    retried = one.push(batch)
    assert retried.status_code == 200, retried.text
    # The other batch edited another field: each op still applies (per-field versions), once.
    assert [r["status"] for r in retried.json()["results"]] == ["applied"] * 3
    assert [r["status"] for r in one.push(batch).json()["results"]] == ["duplicate"] * 3
    rows = env.sql("SELECT op_id, version FROM change_log WHERE record_id = %s AND version > %s ORDER BY seq",
                   (case, version))
    assert [r["version"] for r in rows] == [version + 1, version + 2, version + 3, version + 4]  # batch order
    assert [r["op_id"] for r in rows[1:]] == [c.op_id for c in batch]
    assert version_of(env, "case", case) == version + 4
    document = one.record("case", case)["document"]
    assert document["origin_note"] == "första \"försöket\"\u2028" and "discharge" not in document
    assert document["chosen_provider"] == "andra enheten"
