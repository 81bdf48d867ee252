"""A path with a slash too many is an unknown path (404, ErrorBody), not a redirect (s23-probesrv).

Starlette answered 307 with no body and a Location built from the request's Host header: for any Host a caller
sent (``evil.example``) and with the scheme the request claimed, a redirect a client following it would carry its
token to. Each case fails on main (307)."""

from __future__ import annotations

import httpx
import pytest
from sync_support import Env

from sync.server import integrations
from sync.server.db import connect


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/v1/pull/"), ("POST", "/v1/push/"), ("POST", "/v1/enroll/"), ("POST", "/v1/token/"),
    ("GET", "/v1/records/case/abc/"), ("GET", "/health/"), ("GET", "/v1/integration/changes/?cursor=0"),
    ("GET", "/v1/reports/municipality/caseload/?from=2026-01-01&to=2026-01-31"),
])
def test_a_trailing_slash_is_an_unknown_path_not_a_redirect_to_the_hosts_name(env: Env, method: str,
                                                                                path: str) -> None:
    with connect(env.database_url) as conn:
        key = integrations.create_integration(conn, "lifecare", "Verksamhetssystemet")
    answer = httpx.request(method, f"{env.base_url}{path}", json={} if method == "POST" else None,
                           headers={"Host": "evil.example", "Authorization": f"Bearer {key}"})
    assert answer.status_code == 404, (answer.status_code, answer.headers.get("location"))
    assert "location" not in answer.headers
    assert answer.json() == {"protocol": 1, "error": "not_found", "message": "There is no such endpoint.",
                             "details": []}
