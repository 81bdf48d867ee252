"""A central field write changing an identity field already set (a case's case_number, unit or person, a person's
personnummer: set once, at registration) is refused with a reason the central system can act on, and nothing is
stored (s25-probesrv). Before, the 409 said "field owned by the central system" to the central system, which owns
the field. Each test but the last fails on main; the last holds the one move allowed (a case to another person
record on its personnummer), which a first version of the check lost: answered 200, nothing stored."""

from __future__ import annotations

import pytest
from sync_support import Env
from test_integration_api import _call, _key, _new_case, _register

from ibic.demo import TEST_PERSONAL_NUMBERS


@pytest.mark.parametrize(("record_type", "path", "value", "reason"), [
    ("case", "case_number", "K-2", "a case's case_number is set once, at registration, and not changed by a field"
                                   " write"),
    ("person", "personal_number", TEST_PERSONAL_NUMBERS[1], "a person's personal_number is set once, at"
                                                            " registration, and not changed by a field write"),
])
def test_an_identity_field_set_is_refused_naming_the_rule(env: Env, record_type: str, path: str, value: str,
                                                         reason: str) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    record_id = case["id"] if record_type == "case" else person["id"]
    before = _call(env, key, "GET", f"/records/{record_type}/{record_id}").json()
    answer = _call(env, key, "PATCH", f"/records/{record_type}/{record_id}", {"values": {path: value}})
    assert answer.status_code == 409, answer.text
    assert answer.json() == {"protocol": 1, "error": "write_refused", "details": [],
                             "message": f"nothing was stored: {reason}"}
    assert _call(env, key, "GET", f"/records/{record_type}/{record_id}").json() == before


def test_a_case_moved_to_a_person_on_another_personnummer_is_refused_naming_the_rule(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    other_case, other, _ = _new_case()
    other["personal_number"] = TEST_PERSONAL_NUMBERS[1]
    assert _register(env, key, case, person).status_code == 201
    assert _register(env, key, other_case, other).status_code == 201
    answer = _call(env, key, "PATCH", f"/records/case/{case['id']}", {"values": {"person_id": other["id"]}})
    assert answer.status_code == 409, answer.text
    assert answer.json()["message"] == ("nothing was stored: a case's person_id is set once, at registration, and"
                                        " not changed by a field write (a case moves only to a person record with"
                                        " the same personnummer)")
    assert _call(env, key, "GET", f"/records/case/{case['id']}").json()["document"]["person_id"] == person["id"]


def test_a_case_moved_to_a_person_record_on_the_same_personnummer_is_written(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    other_case, duplicate, _ = _new_case()
    duplicate["personal_number"] = person["personal_number"]
    assert _register(env, key, case, person).status_code == 201
    assert _register(env, key, other_case, duplicate).status_code == 201
    answer = _call(env, key, "PATCH", f"/records/case/{case['id']}", {"values": {"person_id": duplicate["id"]}})
    assert answer.status_code == 200, answer.text
    assert _call(env, key, "GET", f"/records/case/{case['id']}").json()["document"]["person_id"] == duplicate["id"]
