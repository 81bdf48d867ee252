"""Decisions registered by the central system over HTTP: one that ends before it starts, replaces a decision the
case does not hold, or names no insats or decision-maker (FL 31-33 §§) is refused with a 422 naming the rule and
nothing is stored. Before, all were stored: the first was never in force (no follow-up, no internal control, no
uppdrag) and printed its period backwards; a blank one printed a beslutsmeddelande without heading or signer."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sync_support import Env, edit_case, make_laptop, version_of
from test_integration_api import _call, _key, _new_case, _register

from sync.server.dev import DEMO_USER


def test_a_decision_ending_before_it_starts_is_refused_and_nothing_is_stored(env: Env) -> None:
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    assert decision is not None and _register(env, key, case, person).status_code == 201
    version = version_of(env, "case", case["id"])
    backwards = {**decision, "starts_on": "2027-01-01", "ends_on": "2026-12-31"}
    answer = _call(env, key, "POST", f"/cases/{case['id']}/decisions", backwards)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_document"
    assert "end date is before its start date" in answer.json()["message"]
    assert version_of(env, "case", case["id"]) == version
    same_day = {**decision, "starts_on": "2026-12-31", "ends_on": "2026-12-31"}  # one day is a period
    assert _call(env, key, "POST", f"/cases/{case['id']}/decisions", same_day).status_code == 201


def test_a_decision_without_its_insats_or_decision_maker_is_refused(env: Env) -> None:
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    assert decision is not None and _register(env, key, case, person).status_code == 201
    version = version_of(env, "case", case["id"])
    # A zero-width space or a lone combining accent passed the rule (strip()) and printed as blank (s20-probesrv).
    for blank in ({"decided_by": ""}, {"decided_by": " \t"}, {"insats_text": ""}, {"insats_text": "\u00a0"},
                  {"insats_text": "\u200b"}, {"decided_by": "\u0301"}, {"decided_by": "\u200d \u2060"}):
        answer = _call(env, key, "POST", f"/cases/{case['id']}/decisions", {**decision, **blank})
        assert answer.status_code == 422, (blank, answer.text)
        assert "must name its insats and who made it" in answer.json()["message"]
    assert version_of(env, "case", case["id"]) == version


def test_a_decision_replacing_one_the_case_does_not_hold_is_refused(env: Env, tmp_path: Path) -> None:
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    assert decision is not None and _register(env, key, case, person).status_code == 201
    version = version_of(env, "case", case["id"])
    for replaces in (uuid.uuid4().hex, decision["id"]):  # unknown, or the decision itself
        answer = _call(env, key, "POST", f"/cases/{case['id']}/decisions",
                       {**decision, "replaces_decision_id": replaces})
        assert answer.status_code == 422, answer.text
        assert "can only replace another decision of this case" in answer.json()["message"]
    assert version_of(env, "case", case["id"]) == version
    assert _call(env, key, "POST", f"/cases/{case['id']}/decisions", decision).status_code == 201
    newer = {**decision, "id": uuid.uuid4().hex, "replaces_decision_id": decision["id"]}
    assert _call(env, key, "POST", f"/cases/{case['id']}/decisions", newer).status_code == 201
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    held = laptop.profile.cases.load(case["id"]).decisions
    assert [d.replaces_decision_id for d in held] == [None, decision["id"]]


def test_an_element_id_no_path_can_name_is_refused_at_the_door(env: Env, tmp_path: Path) -> None:
    # A consent registered with the id "a/b" reached the laptop; the handläggare's edit of it (path consents/a/b/...)
    # was rejected at every push and never delivered. An empty or split decision id named no path either.
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    assert decision is not None
    consent = {"id": "a/b", "recipient": "relative", "form": "oral", "given_on": "2026-01-01"}
    before = env.stored_counts()
    answer = _register(env, key, {**case, "consents": [consent]}, person)
    assert answer.status_code == 422, answer.text
    assert "consents/0/id: an element's key may not hold '/'" in answer.json()["message"]
    assert "a/b" not in answer.text, "where, never the value"
    assert env.stored_counts() == before
    case["consents"] = [{**consent, "id": "a-b"}]
    assert _register(env, key, case, person).status_code == 201
    version = version_of(env, "case", case["id"])
    for odd in ("", "a/b"):
        refused = _call(env, key, "POST", f"/cases/{case['id']}/decisions", {**decision, "id": odd})
        assert refused.status_code == 422 and "id: 1-64 characters without '/'" in refused.json()["message"], odd
    status = {"id": "x/y", "decision_id": decision["id"], "status": "ended", "on": "2026-11-23"}
    whole = _call(env, key, "PATCH", f"/records/case/{case['id']}", {"values": {"decision_statuses": [status]}})
    assert whole.status_code == 422, whole.text
    assert version_of(env, "case", case["id"]) == version
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    held = laptop.profile.cases.load(case["id"]).consents
    edit_case(laptop.profile, case["id"], consents=[c.model_copy(update={"scope": "Dottern om hemtjänsten"})
                                                    for c in held])
    report = laptop.sync()
    assert (report.applied, report.rejected) == (1, 0)


def _decide_together(env: Env, key: str, case_id: str, bodies: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """The decisions sent at the same moment, each from its own thread: (status, error) of each."""
    start = threading.Barrier(len(bodies))

    def send(body: dict[str, Any]) -> tuple[int, str]:
        start.wait(timeout=30)
        answer = _call(env, key, "POST", f"/cases/{case_id}/decisions", body)
        return answer.status_code, str(answer.json().get("error", ""))

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, bodies))


def _times_logged(env: Env, case_id: str, decision_id: str) -> int:
    """How many change-log rows wrote this decision (one: a decision is written once, never again)."""
    return int(env.sql("SELECT count(*) AS n FROM change_log WHERE record_id = %s AND path = %s",
                       (case_id, f"decisions/{decision_id}"))[0]["n"])


def test_one_decision_sent_twice_at_once_is_stored_once_and_never_replaced(env: Env) -> None:
    # Both registrations find the id absent (the check reads before the write's transaction); the slower one's
    # write then meets the faster one's on the same path and is refused whole, as a serial resend is (409).
    key = _key(env)
    for attempt in range(6):
        case, person, decision = _new_case(with_decision=True)
        assert decision is not None and _register(env, key, case, person).status_code == 201
        bodies = [{**decision, "motivation": f"Skäl {attempt}{n} åäö"} for n in "ab"]
        answers = _decide_together(env, key, case["id"], bodies)
        assert sorted(answers) == [(201, ""), (409, "write_refused")], answers
        stored = env.sql("SELECT document FROM record_documents WHERE record_type = 'case' AND record_id = %s",
                         (case["id"],))[0]["document"]["decisions"]
        winner = bodies[[status for status, _ in answers].index(201)]
        assert [d["motivation"] for d in stored if d["id"] == decision["id"]] == [winner["motivation"]]
        assert _times_logged(env, case["id"], decision["id"]) == 1


def test_the_same_decision_sent_twice_at_once_is_written_once_and_answered_as_a_later_resend(env: Env) -> None:
    # Test fails on main and on s21-probesrv: both found the id absent and both wrote the same decision (201 twice,
    # the case's version raised twice, two change-log rows), while the same body sent later was refused 409.
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    assert decision is not None and _register(env, key, case, person).status_code == 201
    for attempt in range(6):
        body = {**decision, "id": f"beslut-{attempt}"}
        before = version_of(env, "case", case["id"])
        answers = _decide_together(env, key, case["id"], [body, body])
        assert sorted(answers) == [(201, ""), (409, "write_refused")], answers
        later = _call(env, key, "POST", f"/cases/{case['id']}/decisions", body)
        assert (later.status_code, later.json()["error"]) == (409, "write_refused"), later.text
        assert version_of(env, "case", case["id"]) == before + 1
        assert _times_logged(env, case["id"], body["id"]) == 1


def test_a_decision_the_model_refuses_is_422_whether_or_not_its_case_exists(env: Env) -> None:
    # Test fails on s21-probesrv (an unknown case looked up first: 404) and on main (an id no case can have: 404),
    # so a central system fixing its 404 (a case not yet registered) then met the 422 its body had from the start.
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    assert decision is not None and _register(env, key, case, person).status_code == 201
    for case_id in (case["id"], uuid.uuid4().hex, "x" * 65):
        answer = _call(env, key, "POST", f"/cases/{case_id}/decisions", {**decision, "outcome": "kanske"})
        assert (answer.status_code, answer.json()["error"]) == (422, "invalid_document"), (case_id, answer.text)
    unknown = _call(env, key, "POST", f"/cases/{uuid.uuid4().hex}/decisions", decision)
    assert (unknown.status_code, unknown.json()["error"]) == (404, "not_found"), unknown.text
    assert _call(env, None, "POST", f"/cases/{uuid.uuid4().hex}/decisions", decision).status_code == 401
