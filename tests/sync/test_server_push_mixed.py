"""One push batch holding every kind of answer at once, over HTTP: a duplicate, a conflict, refused ops (a central
field, a text the server cannot store, another device's op), a merge and odd but legal values. Each op is answered
on its own, exactly as the rules say; only the applied ops are stored and logged, in batch order; the same batch
sent again changes nothing. Pins the per-op answers of the set-based push path (sync/server/push_service.py)."""

from __future__ import annotations

from typing import Any

from sync_support import Env, assigned_cases, version_of

from ibic.changes import FieldChange
from sync.protocol import PROTOCOL_VERSION
from sync.server.dev import DEMO_USER
from sync.server.push_service import UNSTORABLE_REASON

ODD_TEXT = "\"citat\", \\ snedstreck, å ä ö, \u2028, \U0001f600, \t"


def _answer(op_id: str, status: str, *, new_version: int | None = None, server_value: Any = None,
            server_version: int | None = None, reason: str = "") -> dict[str, Any]:
    return {"protocol": PROTOCOL_VERSION, "op_id": op_id, "status": status, "new_version": new_version,
            "server_value": server_value, "server_version": server_version, "reason": reason}


def test_a_mixed_batch_is_answered_op_by_op_and_only_applied_ops_are_stored(env: Env) -> None:
    a, b = env.enroll(DEMO_USER, "laptop-a"), env.enroll(DEMO_USER, "laptop-b")
    (first, second) = assigned_cases(env, DEMO_USER)[:2]
    one, two = first["case_id"], second["case_id"]
    v1, v2 = version_of(env, "case", one), version_of(env, "case", two)
    assert a.push([a.change(one, "origin_note", "Från A", v1)]).json()["results"][0]["status"] == "applied"
    pushed_before = b.change(two, "chosen_provider", "Utförare Ö", v2)
    assert b.push([pushed_before]).json()["results"][0]["new_version"] == v2 + 1
    foreign = FieldChange(**{**b.change(two, "origin_note", "Någon annans", v2 + 1).model_dump(), "device_id": "x-1"})

    batch = [
        pushed_before,                                                       # sent again: a duplicate
        b.change(one, "origin_note", "Från B", v1),                          # A changed it after v1: a conflict
        b.change(one, "chosen_provider", "Annan utförare", v1),              # another field: merges
        b.change(one, "person_id", "f" * 32, v1),                            # the central system's field
        b.change(two, "origin_note", "noll\x00tecken", v2 + 1),              # U+0000: PostgreSQL cannot store it
        b.change(two, "discharge", {"hospital_ward": ODD_TEXT, "sip_meeting_on": None}, v2 + 1),
        foreign,                                                             # names another device
        b.change(two, "discharge/hospital_ward", "Avdelning \U0001f600 \"citat\"", v2 + 1),
        b.change(two, "discharge/sip_meeting_on", None, v2 + 1, op="remove"),
    ]
    answers = b.push(batch).json()["results"]

    assert answers == [
        _answer(batch[0].op_id, "duplicate", new_version=v2 + 1),
        _answer(batch[1].op_id, "conflict", server_value="Från A", server_version=v1 + 1),
        _answer(batch[2].op_id, "applied", new_version=v1 + 2),
        _answer(batch[3].op_id, "rejected", reason="field owned by the central system"),
        _answer(batch[4].op_id, "rejected", reason=UNSTORABLE_REASON),
        _answer(batch[5].op_id, "applied", new_version=v2 + 2),
        _answer(batch[6].op_id, "rejected", reason="operation names another device or user"),
        _answer(batch[7].op_id, "applied", new_version=v2 + 3),
        _answer(batch[8].op_id, "applied", new_version=v2 + 4),
    ]
    applied = [batch[i] for i in (2, 5, 7, 8)]
    logged = env.sql("SELECT op_id, path, op, value, version FROM change_log WHERE device_id = %s AND op_id <> %s"
                     " ORDER BY seq", (b.device_id, pushed_before.op_id))
    assert [(r["op_id"], r["path"], r["op"], r["value"]) for r in logged] == [
        (c.op_id, c.path, c.op, c.value if c.op == "set" else None) for c in applied]
    assert [r["version"] for r in logged] == [v1 + 2, v2 + 2, v2 + 3, v2 + 4]
    stored_ops = env.sql("SELECT op_id FROM change_log WHERE op_id = ANY(%s) AND content_hash IS NOT NULL",
                         ([c.op_id for c in batch],))
    assert {r["op_id"] for r in stored_ops} == {c.op_id for c in applied} | {pushed_before.op_id}
    # The field versions: each path's newest change-log row.
    fields = env.sql("SELECT DISTINCT ON (record_id, path) record_id, path, version FROM change_log"
                     " WHERE device_id = %s ORDER BY record_id, path, seq DESC", (b.device_id,))
    assert {(r["record_id"], r["path"]): r["version"] for r in fields} == {
        (one, "chosen_provider"): v1 + 2, (two, "chosen_provider"): v2 + 1, (two, "discharge"): v2 + 2,
        (two, "discharge/hospital_ward"): v2 + 3, (two, "discharge/sip_meeting_on"): v2 + 4}
    case_one, case_two = b.record("case", one)["document"], b.record("case", two)["document"]
    assert (case_one["origin_note"], case_one["chosen_provider"]) == ("Från A", "Annan utförare")
    assert case_one["person_id"] == first["person_id"]
    assert case_two["discharge"] == {"hospital_ward": "Avdelning \U0001f600 \"citat\""}
    assert case_two["origin_note"] != "noll\x00tecken"

    counts = env.stored_counts()
    again = b.push(batch).json()["results"]
    assert env.stored_counts() == counts
    assert [(r["status"], r["new_version"]) for r in again] == [
        ("duplicate", v2 + 1), ("conflict", None), ("duplicate", v1 + 2), ("rejected", None), ("rejected", None),
        ("duplicate", v2 + 2), ("rejected", None), ("duplicate", v2 + 3), ("duplicate", v2 + 4)]
    assert again[1]["server_value"] == "Från A" and again[1]["server_version"] == v1 + 2
