"""A person id PostgreSQL cannot hold (U+0000) from the central system: a 422 saying why, nothing stored, never a 500.

The poison-records property test drew ``case/person_id = "\\x00"`` about one run in eight: the integration API looked
the value up as a person record (is it the same personnummer, a relink?) before anything screened it, and psycopg
refused the query (DataError, a 500). A registration whose person id held U+0000 was looked up the same way.
"""

from __future__ import annotations

from sync_support import Env, version_of
from test_poison_records import _call, _key, _new_case, _register

from sync.server.dev import DEMO_USER
from sync.server.push_screen import UNSTORABLE_REASON


def test_a_case_moved_to_a_person_id_holding_nul_is_a_422_and_nothing_is_stored(env: Env) -> None:
    key = _key(env)
    case, person = _new_case()
    assert _register(env, key, case, person).status_code == 201
    version = version_of(env, "case", case["id"])
    before = env.stored_counts()
    for value in ("\x00", "före\x00efter"):  # the value the property test drew, and one with text around it
        answer = _call(env, key, "PATCH", f"/records/case/{case['id']}", {"values": {"person_id": value}})
        assert answer.status_code == 422, answer.text[:300]  # was 500 (psycopg DataError)
        body = answer.json()
        assert body["error"] == "invalid_document"
        assert body["message"] == f"nothing was stored: person_id: {UNSTORABLE_REASON}"
    assert env.stored_counts() == before and version_of(env, "case", case["id"]) == version
    # The server goes on: a field the central system writes is stored on the same case.
    assert _call(env, key, "PATCH", f"/records/case/{case['id']}", {"values": {"caseworker": "Handläggare 2"}}
                 ).status_code == 200


def test_a_registration_whose_person_id_holds_nul_is_a_422_and_nothing_is_stored(env: Env) -> None:
    key = _key(env)
    case, person = _new_case()
    person["id"] = case["person_id"] = "person-\x00"
    before = env.stored_counts()
    answer = _register(env, key, case, person)
    assert answer.status_code == 422, answer.text[:300]  # was 500 (psycopg DataError)
    assert answer.json()["message"].startswith("a person id is 1-64 of the letters")
    assert env.stored_counts() == before


def test_a_laptop_moving_a_case_to_a_person_id_holding_nul_has_the_op_rejected(env: Env) -> None:
    """The push's route for the same value: the op is screened out before any lookup (held on main too)."""
    key = _key(env)
    case, person = _new_case()
    assert _register(env, key, case, person).status_code == 201
    device = env.enroll(DEMO_USER, "laptop-nul-person")
    answer = device.push([device.change(case["id"], "person_id", "\x00", version_of(env, "case", case["id"]))])
    assert answer.status_code == 200
    assert [(r["status"], r["reason"]) for r in answer.json()["results"]] == [("rejected", UNSTORABLE_REASON)]
