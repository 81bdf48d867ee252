"""A central field write naming an odd path is refused with a reason the integration's developer can act on, and
nothing is stored (s23-probesrv). Before, "/" was a 403 naming an empty field ("fields not written by the central
system: "), "phone/" and "phone//x" a 422 "the write cannot be applied (DomainError)", and a path under a plain
value the same class name. Each fails on main."""

from __future__ import annotations

from typing import Any

import pytest
from sync_support import Env
from test_integration_api import _call, _key, _new_case, _register


@pytest.mark.parametrize("path", ["/", "phone/", "/phone", "address//street"])
def test_a_path_with_an_empty_field_name_is_a_422_of_the_request(env: Env, path: str) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    before = env.stored_counts()
    answer = _call(env, key, "PATCH", f"/records/person/{person['id']}", {"values": {path: "1"}})
    assert answer.status_code == 422, answer.text
    body: dict[str, Any] = answer.json()
    assert body["error"] == "invalid_request"
    assert body["details"] == ["body/values/…/[key]: String should match pattern '^[^/]+(/[^/]+)*$'"]
    assert env.stored_counts() == before


@pytest.mark.parametrize(("path", "reason"), [
    ("phone/area", "path goes through a plain value"),
    ("address/street/x", "path goes through a plain value"),
])
def test_a_path_the_document_cannot_take_names_the_reason_not_an_exception_class(env: Env, path: str,
                                                                                  reason: str) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    before = env.stored_counts()
    answer = _call(env, key, "PATCH", f"/records/person/{person['id']}", {"values": {path: "08-123 45"}})
    assert (answer.status_code, answer.json()["error"]) == (422, "invalid_document"), answer.text
    assert answer.json()["message"] == f"the write cannot be applied: {reason}"
    assert env.stored_counts() == before
