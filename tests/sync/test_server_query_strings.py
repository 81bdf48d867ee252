"""A query parameter an endpoint does not take, or one given twice, is refused (422) as the bodies refuse unknown
fields and repeated keys. Before, ``sample_size=1&sample_size=1000`` drew 1000 (the last one), ``cursor=0&cursor=5``
read the feed from 5, and a misspelt ``threshold_hour=50`` gave the default report of 100 hours without a word."""

from __future__ import annotations

import httpx
import pytest
from sync_support import Env
from test_integration_api import _key

from sync.server import roles
from sync.server.db import connect
from sync.server.dev import DEMO_USER

INVALID = {"protocol": 1, "error": "invalid_request", "message": "The request does not match the sync protocol."}


@pytest.fixture()
def municipal_token(env: Env) -> str:
    device = env.enroll(DEMO_USER, "laptop-1")
    with connect(env.database_url) as conn:
        roles.set_role(conn, DEMO_USER, roles.MUNICIPAL_REPORTS)
    return device.token


@pytest.mark.parametrize(("query", "detail"), [
    ("sample_size=1&sample_size=1000", "query/sample_size: given twice"),
    ("threshold_hour=50", "query/threshold_hour: not a parameter of this endpoint"),
    ("Format=json", "query/Format: not a parameter of this endpoint"),
    ("%00=1", "query/…: not a parameter of this endpoint"),
])
def test_a_report_query_with_a_parameter_twice_or_unknown_is_refused(
    env: Env, municipal_token: str, query: str, detail: str
) -> None:
    answer = httpx.get(f"{env.base_url}/v1/reports/municipality/checklist?from=2026-01-01&to=2026-12-31&{query}",
                       headers={"Authorization": f"Bearer {municipal_token}"}, timeout=30)
    assert answer.status_code == 422, answer.text
    assert answer.json() == {**INVALID, "details": [detail]}


def test_the_feed_with_its_cursor_twice_is_refused_and_once_is_read(env: Env) -> None:
    headers = {"Authorization": f"Bearer {_key(env)}"}
    twice = httpx.get(f"{env.base_url}/v1/integration/changes?cursor=0&cursor=5&limit=1", headers=headers, timeout=30)
    assert twice.status_code == 422, twice.text
    assert twice.json() == {**INVALID, "details": ["query/cursor: given twice"]}
    once = httpx.get(f"{env.base_url}/v1/integration/changes?cursor=5&limit=1", headers=headers, timeout=30)
    assert once.status_code == 200 and once.json()["changes"][0]["seq"] == 6


def test_a_monitor_may_add_its_own_query_to_the_health_check(env: Env) -> None:
    answer = httpx.get(f"{env.base_url}/health?t=1733450000", timeout=30)
    assert answer.status_code == 200 and answer.json()["database"] is True


def test_a_query_without_a_credential_is_answered_401_first(env: Env) -> None:
    # The query was judged before the credential (s20-probesrv): a caller without one got 422 naming its parameter
    # (and so could tell a route's parameters from others). A route taking no credential still judges it.
    report = "/v1/reports/municipality/checklist?from=2026-01-01&to=2026-12-31&threshold_hour=50&seed=1&seed=2"
    for path in (report, "/v1/integration/changes?cursor=0&cursor=5&secret=1"):
        answer = httpx.get(f"{env.base_url}{path}", timeout=30)
        assert answer.status_code == 401, answer.text
        assert answer.json()["error"] == "not_authenticated"
    enroll = httpx.post(f"{env.base_url}/v1/enroll?code=K7QX", json={}, timeout=30)
    assert enroll.status_code == 422 and enroll.json()["details"] == ["query/code: not a parameter of this endpoint"]
