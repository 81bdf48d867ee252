"""A laptop's push cannot create a case or person under an id no route can name (s23-rprobesrv).

The integration API's registration refuses such ids (test_integration_record_ids.py); a push created them: a case
"a/b" was stored, its record answered 404 "There is no such endpoint" for good, and "p q" or "é" could never be
pulled as one case. Each op of such a new record is refused, like a record created without what it needs
(test_server_push_creations.py), and the batch's other records apply. Fails on main (all applied)."""

from __future__ import annotations

from typing import Any

import httpx
from sync_support import Env, creation_ops, new_case_document, new_person_document

from sync.server.dev import DEMO_USER

RULE = "id is 1-64 of the letters A-Z and a-z, digits, '_', '.', ':' and '-' (not '.' or '..')"


def _answers(answer: Any, ops: list[Any]) -> list[tuple[str, str]]:
    by_id = {r["op_id"]: r for r in answer.json()["results"]}
    return [(by_id[op.op_id]["status"], by_id[op.op_id]["reason"]) for op in ops]


def test_a_pushed_record_under_an_id_no_route_can_name_is_refused_op_by_op(env: Env) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-ids")
    person = new_person_document()
    good = creation_ops(laptop, "person", person)
    good += creation_ops(laptop, "case", new_case_document(person["id"], "KF-2026:0042.1_a"))
    odd_person = new_person_document("p q")
    odd = {
        "a/b": creation_ops(laptop, "case", new_case_document(person["id"], "a/b")),
        "..": creation_ops(laptop, "case", new_case_document(person["id"], "..")),
        "é": creation_ops(laptop, "case", new_case_document(person["id"], "é")),
        "p q": creation_ops(laptop, "person", odd_person),
    }
    batch = [op for ops in odd.values() for op in ops] + good

    answer = laptop.push(batch)

    assert answer.status_code == 200, answer.text
    assert {status for status, _ in _answers(answer, good)} == {"applied"}
    for name, ops in odd.items():
        answers = _answers(answer, ops)
        assert {status for status, _ in answers} == {"rejected"}, name
        assert all(reason.endswith(f"(id: a {ops[0].record_type} {RULE})") for _, reason in answers), answers
    stored = {(r["record_type"], r["record_id"]) for r in env.sql("SELECT record_type, record_id FROM records")}
    assert ("case", "KF-2026:0042.1_a") in stored
    assert not stored & {("case", "a/b"), ("case", ".."), ("case", "é"), ("person", "p q")}
    record = httpx.get(f"{env.base_url}/v1/records/case/KF-2026:0042.1_a", headers=laptop.headers())
    assert record.status_code == 200, record.text
