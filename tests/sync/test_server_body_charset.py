"""A JSON body declared in a character set other than JSON's is refused with 415, never read as UTF-8 all the same
(s25-probesrv). "Ã¥" sent in Latin-1 (charset=iso-8859-1) is the bytes of "å" in UTF-8: the integration's write was
stored as "å", a value the sender never wrote; a Windows-1252 body with "é" was a 400 "not valid JSON". Fails on
main. UTF-8 declared, or nothing declared, is read as before."""

from __future__ import annotations

import json

import httpx
import pytest
from sync_support import Env
from test_integration_api import _call, _key, _new_case, _register

REFUSED = {"protocol": 1, "error": "unsupported_media_type", "details": [],
           "message": "Send the request body as application/json in UTF-8 (no other charset is read)."}


def _patch(env: Env, key: str, person_id: str, body: bytes, content_type: str) -> httpx.Response:
    return httpx.patch(f"{env.base_url}/v1/integration/records/person/{person_id}", content=body, timeout=30,
                       headers={"Authorization": f"Bearer {key}", "Content-Type": content_type})


@pytest.mark.parametrize(("charset", "phone"), [
    ("iso-8859-1", "Ã¥ 070"), ('"ISO-8859-1"', "Ã¥ 070"), ("windows-1252", "é 070"), ("latin1", "Ã¥ 070"),
])
def test_a_body_in_another_charset_is_refused_and_nothing_changes(env: Env, charset: str, phone: str) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    before = _call(env, key, "GET", f"/records/person/{person['id']}").json()
    body = json.dumps({"values": {"phone": phone}}, ensure_ascii=False).encode(charset.strip('"'))
    answer = _patch(env, key, person["id"], body, f"application/json; charset={charset}")
    assert (answer.status_code, answer.json()) == (415, REFUSED), answer.text
    assert _call(env, key, "GET", f"/records/person/{person['id']}").json() == before


def test_a_device_body_in_another_charset_is_refused_too(env: Env) -> None:
    answer = httpx.post(f"{env.base_url}/v1/enroll", content=b'{"code": "ABCD-EFGH-JKLM", "device_id": "lap-1"}',
                        headers={"Content-Type": "application/json; charset=iso-8859-15"}, timeout=30)
    assert (answer.status_code, answer.json()) == (415, REFUSED), answer.text


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "application/json; charset=UTF-8", 'application/json;charset="utf-8"'])
def test_utf8_declared_or_not_is_read(env: Env, content_type: str) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    answer = _patch(env, key, person["id"], '{"values": {"phone": "Ã¥ 070"}}'.encode(), content_type)
    assert answer.status_code == 200, answer.text
    assert _call(env, key, "GET", f"/records/person/{person['id']}").json()["document"]["phone"] == "Ã¥ 070"
