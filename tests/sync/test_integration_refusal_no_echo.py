"""A central field write to fields the central system may not write is a 403 that names the record's own fields and
counts the rest, never echoing the caller's path (s29-server). On main the answer held each refused path's first
field name as sent, up to ten of them: U+0000, a personnummer or 512 characters of anything came back."""

from __future__ import annotations

from typing import Any

from sync_support import Env
from test_integration_api import _call, _key, _new_case, _register

ODD = "Tolvan Tolvansson 19121212-1212 \x00" + "x" * 400
NAMED = "Tolvan Tolvansson 19121212-1212"  # storable: it reaches the model's check


def test_a_refused_path_is_counted_not_echoed(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    before = env.stored_counts()
    values: dict[str, Any] = {ODD: "1", f"{ODD}/deeper": "2", "phone": "070-000 00 00", "investigation/areas": {},
                              "caseworker": "anna.berg"}
    answer = _call(env, key, "PATCH", f"/records/case/{case['id']}", {"values": values})
    assert answer.status_code == 403, answer.text
    body: dict[str, Any] = answer.json()
    assert body == {"protocol": 1, "error": "forbidden", "details": [],
                    "message": "fields not written by the central system: investigation; 2 fields a case does not have"}
    assert "Tolvan" not in answer.text and "\\u0000" not in answer.text
    assert env.stored_counts() == before


def test_only_unknown_paths_are_counted_alone(env: Env) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    answer = _call(env, key, "PATCH", f"/records/person/{person['id']}", {"values": {ODD: "1"}})
    assert (answer.status_code, answer.json()["message"]) == (403, "1 field a person does not have"), answer.text


def test_a_key_the_model_does_not_have_is_not_echoed_in_a_422(env: Env) -> None:
    """The same fault beside the 403 (s29-rserver): a field the model has, with the caller's text under it (a path
    one level deeper, a key of a value or of a registered document), came back in pydantic's "Extra inputs are not
    permitted", named as sent."""
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    before = env.stored_counts()
    answer = _call(env, key, "PATCH", f"/records/person/{person['id']}", {"values": {f"address/{NAMED}": "1"}})
    assert (answer.status_code, answer.json()["message"]) == (
        422, "the person does not match the domain model (address: a field the model does not have)"), answer.text
    answer = _call(env, key, "PATCH", f"/records/person/{person['id']}", {"values": {"address": {NAMED: "1"}}})
    assert (answer.status_code, answer.json()["message"]) == (
        422, "the person does not match the domain model (address: a field the model does not have)"), answer.text
    other, someone, _ = _new_case()
    answer = _register(env, key, {**other, NAMED: "1"}, someone)
    assert (answer.status_code, answer.json()["message"]) == (
        422, "the case does not match the domain model ((the document): a field the model does not have)"), answer.text
    assert env.stored_counts() == before
