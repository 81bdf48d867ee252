"""A value the central system sends in another JSON kind than the domain model takes is refused (422), never stored
as pydantic's lax reading made it: ``"interpreter_needed": 0`` was stored as false, ``"fictitious": "yes"`` as true,
a case's ``"opened_on": 0`` as 1970-01-01 and ``"1704067200"`` as 2024-01-01, ``"document_version": true`` as 1 and a
decision's ``"decided_on": "2026-01-01T00:00:00"`` as 2026-01-01, each answered 200/201 as if it had been sent so.
All fail on main (the request is answered 2xx). The answer names the field, never the value."""

from __future__ import annotations

from typing import Any

import pytest
from sync_support import Env
from test_integration_api import _call, _key, _new_case, _register

INVALID = "the {what} does not match the domain model ({detail})"


@pytest.mark.parametrize(("field", "value", "detail"), [
    ("interpreter_needed", 0, "interpreter_needed: a number where the model takes a boolean"),
    ("fictitious", "yes", "fictitious: a text where the model takes a boolean"),
    ("address", {"street": 12}, None),  # a number for a text: pydantic refused it already (no change here)
])
def test_a_field_write_of_another_kind_is_refused_and_nothing_changes(
    env: Env, field: str, value: Any, detail: str | None
) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    before = _call(env, key, "GET", f"/records/person/{person['id']}").json()
    answer = _call(env, key, "PATCH", f"/records/person/{person['id']}", {"values": {field: value}})
    assert answer.status_code == 422, answer.text
    if detail is not None:
        assert answer.json()["message"] == INVALID.format(what="person", detail=detail)
    assert _call(env, key, "GET", f"/records/person/{person['id']}").json() == before


@pytest.mark.parametrize(("where", "field", "value", "detail"), [
    ("case", "opened_on", 0, "opened_on: write the date as YYYY-MM-DD"),
    ("case", "opened_on", "1704067200", "opened_on: write the date as YYYY-MM-DD"),
    ("case", "document_version", True, "document_version: a boolean where the model takes a number"),
    ("case", "document_version", "3", "document_version: a text where the model takes a number"),
    ("person", "patient_transport_entitled", 1, "patient_transport_entitled: a number where the model takes a boolean"),
])
def test_a_registration_with_a_value_of_another_kind_is_refused_and_nothing_is_stored(
    env: Env, where: str, field: str, value: Any, detail: str
) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    (case if where == "case" else person)[field] = value
    before = env.stored_counts()
    answer = _register(env, key, case, person)
    assert answer.status_code == 422, answer.text
    assert answer.json()["message"] == INVALID.format(what=where, detail=detail)
    assert env.stored_counts() == before


def test_a_decision_dated_with_a_time_is_refused_and_the_case_keeps_its_version(env: Env) -> None:
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    assert decision is not None
    registered = _register(env, key, case, person)
    assert registered.status_code == 201, registered.text
    before = _call(env, key, "GET", f"/records/case/{case['id']}").json()
    answer = _call(env, key, "POST", f"/cases/{case['id']}/decisions",
                   {**decision, "decided_on": f"{decision['decided_on']}T00:00:00"})
    assert answer.status_code == 422, answer.text
    detail = "decided_on: write the date as YYYY-MM-DD"
    assert answer.json()["message"] == INVALID.format(what="decision", detail=detail)
    assert _call(env, key, "GET", f"/records/case/{case['id']}").json() == before
    sound = _call(env, key, "POST", f"/cases/{case['id']}/decisions", decision)
    assert sound.status_code == 201, sound.text
