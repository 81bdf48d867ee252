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


CHECKLIST = "/v1/reports/municipality/checklist?format=json"


@pytest.mark.parametrize(("query", "detail"), [
    # Each was read as another value before (in brackets) and the report answered as if that had been sent.
    ("from=1704067200&to=2026-12-31", "query/from: write it as YYYY-MM-DD"),  # (2024-01-01)
    ("from=2026-01-01T00:00&to=2026-12-31", "query/from: write it as YYYY-MM-DD"),  # (2026-01-01)
    ("from=2026-01-01&to=2026-12-31&sample_size=1_0", "query/sample_size: write it as decimal digits"),
    ("from=2026-01-01&to=2026-12-31&sample_size=5.0", "query/sample_size: write it as decimal digits"),
    ("from=2026-01-01&to=2026-12-31&seed=+7", "query/seed: write it as decimal digits"),
    ("from=2026-01-01&to=2026-12-31&threshold_hours=1_00",
     "query/threshold_hours: write it as a decimal number"),
])
def test_a_report_query_value_in_another_notation_is_refused_not_reread(
    env: Env, municipal_token: str, query: str, detail: str
) -> None:
    # Test fails on main: every one of these was answered 200.
    answer = httpx.get(f"{env.base_url}{CHECKLIST}&{query}", headers={"Authorization": f"Bearer {municipal_token}"},
                       timeout=30)
    assert answer.status_code == 422, answer.text
    assert answer.json() == {**INVALID, "details": [detail]}


def test_report_query_values_as_documented_are_read_and_still_bounded(env: Env, municipal_token: str) -> None:
    headers = {"Authorization": f"Bearer {municipal_token}"}
    plain = "from=2026-01-01&to=2026-12-31&sample_size=3&seed=-0&threshold_hours=12.5e1"
    answer = httpx.get(f"{env.base_url}{CHECKLIST}&{plain}", headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["period_start"], answer.json()["period_end"]) == ("2026-01-01", "2026-12-31")
    for bounded in ("sample_size=0", "threshold_hours=745", "seed=-1"):
        refused = httpx.get(f"{env.base_url}{CHECKLIST}&from=2026-01-01&to=2026-12-31&{bounded}", headers=headers,
                            timeout=30)
        assert refused.status_code == 422 and refused.json()["error"] == "invalid_request", refused.text


def test_the_feed_s_cursor_in_another_notation_is_refused(env: Env) -> None:
    # Test fails on main: cursor=1_0 read the feed from 10.
    headers = {"Authorization": f"Bearer {_key(env)}"}
    for query, name in (("cursor=1_0", "cursor"), ("limit=5.0", "limit"), ("cursor=%EF%BC%95", "cursor")):
        answer = httpx.get(f"{env.base_url}/v1/integration/changes?{query}", headers=headers, timeout=30)
        assert answer.status_code == 422, answer.text
        assert answer.json() == {**INVALID, "details": [f"query/{name}: write it as decimal digits"]}
