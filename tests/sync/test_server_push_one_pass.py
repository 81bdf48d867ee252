"""A push body read in one pass (sync/server/strict_json.push_in_one_pass) against the general path it skips: every
body it takes is one the general path accepts, as the same request; everything else still gets that path's answer."""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from sync_support import Device, Env, assigned_cases, version_of

from sync.protocol import PushRequest
from sync.server.dev import DEMO_USER
from sync.server.strict_json import (
    MAX_DEPTH,
    _NonStandardNumber,
    _refuse_constant,
    nested_deeper_than,
    push_in_one_pass,
)

_GENERAL = TypeAdapter(PushRequest)


def _general(body: bytes) -> PushRequest | None:
    """What the route did with every body before: json.loads refusing the constants, the depth walk, FastAPI's
    validation of the parsed value (None: refused)."""
    try:
        parsed = json.loads(body, parse_constant=_refuse_constant)
    except (_NonStandardNumber, ValueError, RecursionError):
        return None
    if nested_deeper_than(parsed, MAX_DEPTH):
        return None
    try:
        return _GENERAL.validate_python(parsed, from_attributes=True)
    except ValidationError:
        return None


_GOOD = {"op_id": "a" * 32, "record_type": "case", "record_id": "c-1", "path": "origin_note", "op": "set",
         "value": "Anteckning", "base_version": 3, "hlc": "0001764900000000-0000-laptop-a", "device_id": "laptop-a",
         "user_id": "user-1"}
_ODD = st.sampled_from([1, 1.0, 0, -1, True, False, None, "1", "", "x" * 40, [], {}, 2**63, 2**64, -0.0, 1e300,
                        float("inf"), float("nan"), "case", "person", "remove", "a" * 31, "a" * 36, "NaN",
                        "Infinity", "\u0000", "\ud800", "\ufeff"])
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=20,
)


def _nested(depth: int) -> Any:
    value: Any = "innerst"
    for level in range(depth):
        value = [value] if level % 2 else {"a": value}
    return value


@st.composite
def _bodies(draw: Any) -> bytes:
    changes = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        change: dict[str, Any] = dict(_GOOD)
        for key in draw(st.lists(st.sampled_from([*_GOOD, "extra"]), max_size=2)):
            change[key] = draw(_ODD)
        if draw(st.booleans()):
            change["value"] = draw(_JSON | st.integers(min_value=55, max_value=70).map(_nested))
        if draw(st.booleans()):
            change.pop(draw(st.sampled_from(list(_GOOD))), None)
        changes.append(change)
    body: dict[str, Any] = {"changes": changes}
    for key in draw(st.lists(st.sampled_from(["protocol", "closing", "extra"]), max_size=2)):
        body[key] = draw(_ODD)
    text = json.dumps(body, ensure_ascii=draw(st.booleans()))  # NaN and Infinity as their non-standard constants
    return text.encode("utf-8", "surrogatepass")


@settings(deadline=None, max_examples=400)
@given(_bodies())
def test_a_body_taken_in_one_pass_is_one_the_general_path_accepts_as_the_same_request(body: bytes) -> None:
    fast = push_in_one_pass(body)
    if fast is None:
        return  # the general path answers it, as before
    general = _general(body)
    assert general is not None
    assert fast.model_dump() == general.model_dump()
    assert [type(change.value) for change in fast.changes] == [type(change.value) for change in general.changes]


def test_the_usual_body_is_taken_and_the_others_are_left_to_the_general_path() -> None:
    usual = json.dumps({"changes": [_GOOD, {**_GOOD, "op_id": "b" * 32, "value": {"a": [1, 2.5, None]}}]}).encode()
    taken, general = push_in_one_pass(usual), _general(usual)
    assert taken is not None and general is not None and taken.model_dump() == general.model_dump()
    not_standard = json.dumps({"changes": [{**_GOOD, "value": math.nan}]}).encode()
    text_with_the_letters = json.dumps({"changes": [{**_GOOD, "value": "NaN"}]}).encode()
    too_deep = json.dumps({"changes": [{**_GOOD, "value": _nested(MAX_DEPTH - 2)}]}).encode()
    lone_surrogate = json.dumps({"changes": [{**_GOOD, "value": "\ud800"}]}).encode()
    for body in (not_standard, text_with_the_letters, too_deep, lone_surrogate, b"[1, 2]", b'{"changes": ['):
        assert push_in_one_pass(body) is None
    assert _general(text_with_the_letters) is not None and _general(lone_surrogate) is not None
    deepest_taken = json.dumps({"changes": [{**_GOOD, "value": _nested(MAX_DEPTH - 3)}]}).encode()
    taken, general = push_in_one_pass(deepest_taken), _general(deepest_taken)
    assert taken is not None and general is not None and taken.model_dump() == general.model_dump()


@pytest.fixture()
def device(env: Env) -> Device:
    return env.enroll(DEMO_USER, "laptop-a")


def _post(env: Env, device: Device, changes: list[dict[str, Any]]) -> httpx.Response:
    return httpx.post(f"{env.base_url}/v1/push", content=json.dumps({"changes": changes}).encode(),
                      headers={**device.headers(), "Content-Type": "application/json"})


def test_pushes_either_way_are_applied_and_refused_as_before(env: Env, device: Device) -> None:
    first, second = (case["case_id"] for case in assigned_cases(env, DEMO_USER)[:2])
    usual = device.change(first, "origin_note", "Vanlig text", version_of(env, "case", first)).model_dump(mode="json")
    letters = device.change(second, "origin_note", "NaN och Infinity i texten",
                            version_of(env, "case", second)).model_dump(mode="json")
    for change in (usual, letters):  # one pass, then the general path
        answer = _post(env, device, [change])
        assert answer.status_code == 200, answer.text
        assert [r["status"] for r in answer.json()["results"]] == ["applied"]
    assert env.sql("SELECT document ->> 'origin_note' AS note FROM record_documents WHERE record_id = %s",
                   (second,))[0]["note"] == "NaN och Infinity i texten"
    deep = device.change(first, "origin_note", _nested(MAX_DEPTH - 2), version_of(env, "case", first))
    answer = _post(env, device, [deep.model_dump(mode="json")])
    assert answer.status_code == 422
    assert answer.json()["details"] == [f"body: JSON nested deeper than {MAX_DEPTH} levels"]
    nan = httpx.post(f"{env.base_url}/v1/push", content=json.dumps({"changes": [{**usual, "value": math.nan}]}),
                     headers={**device.headers(), "Content-Type": "application/json"})
    assert nan.status_code == 400 and nan.json()["error"] == "malformed_json"
