"""An op applied before and sent again, in every state the server can be in by then: always ``duplicate``.

A batch's first attempt does not look its op ids up (``push_service.push_batch``): an op applied before is applied
again in memory and found when its second change-log row is refused (the unique op id index), or, answered
otherwise, by a lookup. Whatever it met, nothing may be applied twice, no version bumped twice, and each applied op
has one change-log row.
"""

from __future__ import annotations

import threading
from typing import Any

from sync_support import Device, Env, assigned_cases, creation_ops, new_case_document, new_person_document, version_of

from ibic.changes import FieldChange
from sync.server import central
from sync.server.db import connect
from sync.server.dev import DEMO_USER, OTHER_UNIT, OTHER_USER
from sync.server.pgcluster import PgCluster
from sync.server.push_screen import UNSTORABLE_REASON


def _stored_once(env: Env, op_ids: list[str]) -> None:
    """Each op id has exactly one change-log row, with its content hash (what a duplicate is told apart by)."""
    rows = env.sql("SELECT (SELECT count(*) FROM change_log c WHERE c.op_id = o) AS logged,"
                   " (SELECT count(*) FROM change_log c WHERE c.op_id = o AND c.content_hash IS NOT NULL) AS hashed"
                   " FROM unnest(%s::text[]) AS o", (op_ids,))
    assert [(r["logged"], r["hashed"]) for r in rows] == [(1, 1)] * len(op_ids)


def test_an_op_sent_again_twice_in_a_bigger_batch_beside_a_new_edit_of_its_field_and_unstorable_text(
        env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    sent = device.change(case_id, "origin_note", "Första", base)
    first = device.push([sent]).json()["results"][0]
    assert (first["status"], first["new_version"]) == ("applied", base + 1)
    newer = device.change(case_id, "origin_note", "Andra", base + 1)
    nul = device.change(case_id, "chosen_provider", "med \x00 tecken", base + 1)
    other = device.change(case_id, "chosen_provider", "Utförare AB", base + 1)
    answer = device.push([sent, newer, sent, nul, other]).json()["results"]
    assert [(r["status"], r["new_version"]) for r in answer] == [
        ("duplicate", base + 1), ("applied", base + 2), ("duplicate", base + 1), ("rejected", None),
        ("applied", base + 3)]
    assert answer[3]["reason"] == UNSTORABLE_REASON
    assert version_of(env, "case", case_id) == base + 3
    _stored_once(env, [sent.op_id, newer.op_id, other.op_id])
    again = device.push([nul, sent, other]).json()["results"]  # the whole batch once more: nothing new
    assert [r["status"] for r in again] == ["rejected", "duplicate", "duplicate"]
    assert version_of(env, "case", case_id) == base + 3
    document = device.record("case", case_id)["document"]
    assert document["origin_note"] == "Andra" and document["chosen_provider"] == "Utförare AB"


def test_an_op_sent_again_after_its_case_moved_away_is_a_duplicate_in_and_after_the_late_window(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    sent = device.change(case_id, "origin_note", "Före flytten", base)
    first = device.push([sent]).json()["results"][0]
    assert first["status"] == "applied"
    with connect(env.database_url) as conn:
        central.assign_case(conn, case_id, OTHER_UNIT, OTHER_USER)
        central.central_write(conn, OTHER_UNIT, "case", case_id, {"origin_note": "Nya enhetens anteckning"})
    moved = version_of(env, "case", case_id)
    # In the window: applied again it would meet the new unit's edit (refused without its value); a duplicate.
    assert device.push([sent]).json()["results"][0] == {**first, "status": "duplicate"}
    env.sql("UPDATE case_withdrawals SET withdrawn_at = now() - interval '31 days'")
    # After it: every op of the case is refused, but not one that was applied before.
    assert device.push([sent]).json()["results"][0] == {**first, "status": "duplicate"}
    assert version_of(env, "case", case_id) == moved
    _stored_once(env, [sent.op_id])


def _pushed_twice_at_once(device: Device, batch: list[FieldChange]) -> list[list[dict[str, Any]]]:
    barrier = threading.Barrier(2)
    answers: list[list[dict[str, Any]]] = []

    def push() -> None:
        barrier.wait()
        answers.append(device.push(batch).json()["results"])

    threads = [threading.Thread(target=push) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 2
    return answers


def test_the_same_batch_sent_twice_at_once_applies_each_op_once(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-a")
    cases = [c["case_id"] for c in assigned_cases(env, DEMO_USER)[:3]]
    for round_ in range(4):
        bases = {case_id: version_of(env, "case", case_id) for case_id in cases}
        batch = [device.change(case_id, field, f"{field} {round_}", bases[case_id])
                 for case_id in cases for field in ("origin_note", "chosen_provider")]
        person_id, case_id = f"{round_}" * 32, f"{round_ + 5}" * 32  # and a case made on the laptop, new to both
        batch += creation_ops(device, "person", new_person_document(person_id))
        batch += creation_ops(device, "case", new_case_document(person_id, case_id))
        answers = _pushed_twice_at_once(device, batch)
        for index in range(len(batch)):
            statuses = sorted(str(answer[index]["status"]) for answer in answers)
            assert statuses == ["applied", "duplicate"]
            assert answers[0][index]["new_version"] == answers[1][index]["new_version"]
        assert all(version_of(env, "case", c) == bases[c] + 2 for c in cases)
        assert (version_of(env, "person", person_id), version_of(env, "case", case_id)) == (
            len(new_person_document()), len(new_case_document(person_id)))
        _stored_once(env, [c.op_id for c in batch])


def test_a_resent_batch_leaves_no_error_in_postgresqls_log(env: Env, pg_cluster: PgCluster) -> None:
    # Laptops resend after every lost answer: the IT department reads an ERROR in the database's log as a fault.
    device = env.enroll(DEMO_USER, "laptop-a")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    sent = device.change(case_id, "origin_note", "Ny anteckning", version_of(env, "case", case_id))
    assert device.push([sent]).json()["results"][0]["status"] == "applied"
    log = pg_cluster.root / "server.log"
    logged = log.stat().st_size
    assert device.push([sent]).json()["results"][0]["status"] == "duplicate"
    with log.open("rb") as file:
        file.seek(logged)
        assert b"ERROR" not in file.read()


def test_an_op_based_above_its_records_version_sent_again_is_a_duplicate(env: Env) -> None:
    # Applying it left its record at or below its base, so the first attempt does not look it up: the unique
    # op id index of the change log finds it, and the batch is applied again with every op id looked up.
    device = env.enroll(DEMO_USER, "laptop-a")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    sent = device.change(case_id, "origin_note", "Framtida bas", base + 10)
    first = device.push([sent]).json()["results"][0]
    assert (first["status"], first["new_version"]) == ("applied", base + 1)
    fresh = device.change(case_id, "chosen_provider", "Utförare AB", base + 1)
    again = device.push([sent, fresh]).json()["results"]
    assert [(r["status"], r["new_version"]) for r in again] == [("duplicate", base + 1), ("applied", base + 2)]
    assert version_of(env, "case", case_id) == base + 2
    _stored_once(env, [sent.op_id, fresh.op_id])
