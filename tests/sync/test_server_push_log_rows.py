"""The change log's rows and the records' write as push_service sends them (one JSON array per column): a set to
null logs JSON null, a remove logs SQL NULL, every column lands in its own place, seqs follow the batch's order,
and a whole top-level entry removed is gone from the stored document."""

from __future__ import annotations

from sync_support import Env, assigned_cases, version_of

from sync.server.dev import DEMO_USER


def test_each_applied_op_is_one_row_in_batch_order_with_its_own_columns(env: Env) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-a")
    one, two = (case["case_id"] for case in assigned_cases(env, DEMO_USER)[:2])
    v1, v2 = version_of(env, "case", one), version_of(env, "case", two)
    batch = [
        laptop.change(two, "discharge", {"hospital_ward": "Avd \"ä\"", "sip_meeting_on": None}, v2),
        laptop.change(one, "discharge", None, v1),
        laptop.change(two, "chosen_provider", "Utförare \"Ö\"", v2 + 1),
        laptop.change(two, "discharge", None, v2 + 2, op="remove"),
    ]
    assert [r["status"] for r in laptop.push(batch).json()["results"]] == ["applied"] * 4
    rows = env.sql("SELECT record_type, record_id, path, op, value IS NULL AS absent, jsonb_typeof(value) AS kind,"
                   " value, version, op_id, device_id, content_hash IS NOT NULL AS hashed, user_id, hlc"
                   " FROM change_log WHERE device_id = %s ORDER BY seq", (laptop.device_id,))
    assert [(r["record_id"], r["path"], r["op"], r["absent"], r["kind"], r["value"], r["version"]) for r in rows] == [
        (two, "discharge", "set", False, "object", {"hospital_ward": "Avd \"ä\"", "sip_meeting_on": None}, v2 + 1),
        (one, "discharge", "set", False, "null", None, v1 + 1),
        (two, "chosen_provider", "set", False, "string", "Utförare \"Ö\"", v2 + 2),
        (two, "discharge", "remove", True, None, None, v2 + 3),
    ]
    assert [(r["op_id"], r["hlc"], r["user_id"]) for r in rows] == [(c.op_id, c.hlc, c.user_id) for c in batch]
    assert all(r["record_type"] == "case" and r["hashed"] for r in rows)
    two_document = laptop.record("case", two)["document"]
    assert "discharge" not in two_document and two_document["chosen_provider"] == "Utförare \"Ö\""
    assert laptop.record("case", one)["document"]["discharge"] is None
    assert (version_of(env, "case", one), version_of(env, "case", two)) == (v1 + 1, v2 + 3)
