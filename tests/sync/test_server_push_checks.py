"""The server checks what a laptop pushes against the domain model, over HTTP to a real server.

A value the model refuses (a buggy, old or tampered laptop) is rejected alone, naming the path and never the value;
the record is unchanged and the batch's other ops apply. Before the check such ops were applied, and every other
laptop that pulled the case set it aside ("could not be received") until someone repaired it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sync_support import Env, assigned_cases, case_with_decision, make_laptop, version_of

from sync.server.dev import DEMO_USER

LONG = "x" * 200_001  # ibic.limits.LONG_TEXT_MAX + 1


def _bad_and_good(laptop: Any, case_id: str, person_id: str, base: int, person_base: int) -> tuple[list[Any], ...]:
    """Ops the model refuses (each with the words its reason must hold) and ops it takes, on one case and its
    person, all based on the versions the laptop last pulled."""
    bad = [
        (laptop.change(case_id, "opened_on", "9999-99-99", base), "valid date"),
        (laptop.change(case_id, "opened_on", "9999-12-31", base), "opened_on"),
        (laptop.change(case_id, "opened_on", None, base), "opened_on"),
        (laptop.change(case_id, "opened_on", None, base, op="remove"), "required"),
        (laptop.change(case_id, "status", 7, base), "status"),
        (laptop.change(case_id, "status", "approved", base), "status"),
        (laptop.change(case_id, "a/b/c", "text", base), "not a field"),
        (laptop.change(case_id, "origin_note", LONG, base), "200000"),
        (laptop.change(case_id, "origin_note", "noll\x00tecken", base), "U+0000"),
        (laptop.change(case_id, "application", [], base), "application"),
        (laptop.change(case_id, "application/received_on", "2026-02-30", base), "application/received_on"),
        (laptop.change(case_id, "application/nickname", "text", base), "application/nickname"),
        (laptop.change(case_id, "discharge", {"hospital_ward": 5}, base), "discharge/hospital_ward"),
        (laptop.change(person_id, "interpreter_needed", "kanske", person_base, record_type="person"),
         "interpreter_needed"),
        (laptop.change(person_id, "address", ["Storgatan 1"], person_base, record_type="person"), "address"),
        (laptop.change(person_id, "phone", "0" * 51, person_base, record_type="person"), "phone"),
    ]
    good = [
        laptop.change(case_id, "origin_note", "Ny anteckning", base),
        laptop.change(case_id, "discharge", None, base),  # null where the model takes it
        laptop.change(case_id, "application/received_on", "2099-12-31", base),  # the last day of the range
        laptop.change(person_id, "interpreter_needed", True, person_base, record_type="person"),
    ]
    return [change for change, _ in bad], [words for _, words in bad], good


def test_values_the_model_refuses_are_rejected_alone_and_the_rest_of_the_batch_applies(env: Env) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-a")
    case = assigned_cases(env, DEMO_USER)[0]
    case_id, person_id = case["case_id"], case["person_id"]
    base, person_base = version_of(env, "case", case_id), version_of(env, "person", person_id)
    before_case, before_person = laptop.record("case", case_id), laptop.record("person", person_id)
    bad, words, good = _bad_and_good(laptop, case_id, person_id, base, person_base)
    # Interleaved: a rejected op changes nothing that a later op of the same record builds on.
    batch = [op for pair in zip(bad, good + [None] * len(bad), strict=False) for op in pair if op is not None]

    answers = {r["op_id"]: r for r in laptop.push(batch).json()["results"]}

    for change, expected in zip(bad, words, strict=True):
        answer = answers[change.op_id]
        assert answer["status"] == "rejected", change.path
        assert answer["reason"].startswith(change.path.split("/")[0]) or change.path == "origin_note"
        assert expected in answer["reason"], (change.path, answer["reason"])
        if isinstance(change.value, str) and len(change.value) > 3:
            assert change.value not in answer["reason"]  # never the value: personal data
    assert [answers[c.op_id]["status"] for c in good] == ["applied"] * len(good)
    assert [answers[c.op_id]["new_version"] for c in good] == [base + 1, base + 2, base + 3, person_base + 1]
    after_case = laptop.record("case", case_id)
    assert after_case["version"] == base + 3
    assert after_case["document"] == {
        **before_case["document"], "origin_note": "Ny anteckning", "discharge": None,
        "application": {**before_case["document"]["application"], "received_on": "2099-12-31"}}
    assert laptop.record("person", person_id)["document"] == {**before_person["document"], "interpreter_needed": True}
    logged = env.sql("SELECT op_id FROM change_log WHERE device_id = %s ORDER BY seq", (laptop.device_id,))
    assert [r["op_id"] for r in logged] == [c.op_id for c in good]


def test_another_laptop_receives_the_case_after_a_laptop_pushed_values_the_model_refuses(
    env: Env, tmp_path: Path
) -> None:
    other = make_laptop(env, tmp_path / "other", DEMO_USER)
    assert other.sync().not_received == []
    pusher = env.enroll(DEMO_USER, "laptop-a")
    case = assigned_cases(env, DEMO_USER)[0]
    case_id, person_id = case["case_id"], case["person_id"]
    bad, _, good = _bad_and_good(pusher, case_id, person_id, version_of(env, "case", case_id),
                                 version_of(env, "person", person_id))
    pusher.push(bad + good)

    report = other.sync()

    assert report.not_received == []  # was not: the person set aside (its phone number over the limit)
    received = other.profile.cases.load(case_id)
    assert received.origin_note == "Ny anteckning" and received.discharge is None
    assert other.profile.people.load(person_id).interpreter_needed is True
    assert received.model_dump(mode="json") == pusher.record("case", case_id)["document"]


def test_a_decision_status_must_name_a_decision_of_the_case(env: Env) -> None:
    laptop = env.enroll(DEMO_USER, "laptop-a")
    case_id, decision = case_with_decision(env, DEMO_USER)
    base = version_of(env, "case", case_id)
    before = laptop.record("case", case_id)["document"]
    stray = {"id": "s" * 32, "decision_id": "f" * 32, "status": "appealed", "on": "2026-11-23"}
    held = {**stray, "id": "t" * 32, "decision_id": decision["id"]}

    answers = laptop.push([laptop.change(case_id, f"decision_statuses/{stray['id']}", stray, base),
                           laptop.change(case_id, f"decision_statuses/{held['id']}", held, base)]).json()["results"]

    assert [r["status"] for r in answers] == ["rejected", "applied"]
    assert "decision_statuses" in answers[0]["reason"] and "f" * 32 not in answers[0]["reason"]
    statuses = laptop.record("case", case_id)["document"]["decision_statuses"]
    assert statuses == [*before["decision_statuses"], held]

