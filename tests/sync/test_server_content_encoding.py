"""A request body in a content coding the server does not decode is refused with 415 and the ErrorBody, naming what
to do and listing ``Accept-Encoding: identity`` (RFC 9110 15.5.16), and nothing is stored. Before, a gzipped
enrollment was answered "The request body is not valid JSON." (400: the sender had sent valid JSON, compressed), and
a push marked ``Content-Encoding: br`` but sent plain was applied as if the header were not there. Both fail on main."""

from __future__ import annotations

import gzip
import json

import httpx
import pytest
from sync_support import Env, assigned_cases, version_of

from sync.server.dev import DEMO_USER

NOT_IDENTITY = {"protocol": 1, "error": "unsupported_media_type",
                "message": "Send the request body without a Content-Encoding (gzip and others are not taken).",
                "details": []}


def test_a_gzipped_enrollment_is_415_and_the_code_still_enrolls(env: Env) -> None:
    code = env.new_code(DEMO_USER)
    body = json.dumps({"code": code, "device_id": "laptop-gz", "device_name": "Bärbar"}).encode()
    before = env.stored_counts()
    answer = httpx.post(f"{env.base_url}/v1/enroll", content=gzip.compress(body), timeout=30,
                        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert answer.status_code == 415, answer.text
    assert answer.json() == NOT_IDENTITY and answer.headers["accept-encoding"] == "identity"
    assert env.stored_counts() == before
    plain = httpx.post(f"{env.base_url}/v1/enroll", content=body, timeout=30,
                       headers={"Content-Type": "application/json", "Content-Encoding": "identity"})
    assert plain.status_code == 200, plain.text


@pytest.mark.parametrize("coding", ["br", "deflate", "identity, gzip", "x-unknown"])
def test_a_push_marked_with_a_content_coding_is_415_and_nothing_is_applied(env: Env, coding: str) -> None:
    device = env.enroll(DEMO_USER, "laptop-1")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    change = device.change(case_id, "origin_note", "Anteckning", version_of(env, "case", case_id))
    body = json.dumps({"changes": [change.model_dump(mode="json")]}).encode()
    before = env.stored_counts()
    answer = httpx.post(f"{env.base_url}/v1/push", content=body, timeout=30,
                        headers={"Authorization": f"Bearer {device.token}", "Content-Type": "application/json",
                                 "Content-Encoding": coding})
    assert answer.status_code == 415, answer.text
    assert answer.json() == NOT_IDENTITY
    assert env.stored_counts() == before
