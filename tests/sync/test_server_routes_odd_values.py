"""Every route of ``python -m sync.server`` (listed from the app's OpenAPI, so a route added later is swept too) with
odd but legal values, as the central system's acceptance probes send them (``odd_requests``).

The answer is a 4xx with an English JSON message, or a 2xx where the value is legal, and then a text is stored and
reads back as sent; never a 5xx or a stack trace; a refused request leaves the database as it was; the server keeps
serving; and its log lines (captured from the process) hold only allow-listed keys and none of the text sent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from odd_requests import (
    LOG_KEYS,
    MISSING,
    NEVER_LOGGED,
    ODD_BODIES,
    ODD_PATH,
    ODD_QUERY,
    ROUTES,
    Callers,
    Request,
    at_place,
    fingerprint,
    odd_values,
    places,
    put,
    rehash_audit,
    stored_text,
)
from sync_support import Env, ProcessServer, new_config

from sync.server import central, integrations, roles
from sync.server.app import create_app
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER, seed_demo


@pytest.fixture()
def callers(database_url: str, tmp_path: Path) -> Iterator[tuple[Callers, Path]]:
    """The real server process (its stderr kept), demo data, a laptop, a municipal report reader and an
    integration key."""
    codes = seed_demo(database_url)
    log = tmp_path / "server.log"
    # The device's rate limit would answer 429 before the sweep's requests reach their checks.
    config = new_config(database_url, rate_burst=10**8, rate_per_second=10**6)
    server = ProcessServer(config, log_file=log).start()
    env = Env(database_url, config, codes, base_url=f"http://127.0.0.1:{config.port}", servers=[server])
    try:
        with connect(database_url) as conn:
            key = integrations.create_integration(conn, "probe", "Probe")
            central.create_user(conn, "reader", DEMO_UNIT)
            roles.set_role(conn, "reader", "municipal_reports")
        decided = env.sql("SELECT record_id, document FROM record_documents WHERE record_type = 'case'"
                          " AND jsonb_array_length(document->'decisions') > 0 ORDER BY record_id LIMIT 1")[0]
        # The demo case whose life areas are assessed: a push reaches into them (the blind path of their texts).
        case = env.sql("SELECT a.case_id, a.person_id FROM case_access a JOIN record_documents r"
                       " ON r.record_type = 'case' AND r.record_id = a.case_id WHERE a.assigned_user_id = %s"
                       " AND jsonb_array_length(r.document->'investigation'->'assessments') > 0"
                       " ORDER BY a.case_id LIMIT 1", (DEMO_USER,))[0]
        yield Callers(env, env.enroll(DEMO_USER, "probe-laptop"), env.enroll("reader", "reader-laptop"), key,
                      case["case_id"], case["person_id"], decided["record_id"],
                      decided["document"]["decisions"][0]), log
    finally:
        server.stop()


def _check(c: Callers, request: Request, answer: httpx.Response, before: dict[str, Any]) -> None:
    assert answer.status_code < 500, (request.method, request.route, answer.status_code, answer.text[:300])
    assert "Traceback" not in answer.text
    if answer.status_code >= 400:
        body = answer.json()
        assert isinstance(body["error"], str) and isinstance(body["message"], str), body
        assert body["message"].isascii() and body["message"].strip(), body
        assert fingerprint(c.env) == before, ("a refused request stored something", request.route, body)


def _sent_text_reads_back(c: Callers, request: Request, at: tuple[Any, ...], value: Any,
                          answer: httpx.Response) -> None:
    """A text taken is stored as sent, character for character."""
    if answer.status_code >= 300 or not isinstance(value, str):
        return
    stored = stored_text(c, request, at, answer)
    if stored is not MISSING:
        assert stored == value and type(stored) is str, (request.route, at, repr(stored)[:80])


def _kinds(route: tuple[str, str]) -> tuple[str, ...]:
    """What may be made odd in a request of ``route``: a body's values (most of the draws) and the body itself, its
    path parameters, its query (an odd, repeated or empty parameter)."""
    method, path = route
    kinds = ["empty"]
    if method != "GET":
        kinds += ["leaf"] * 8 + ["body", "twice", "type"]
    if "{" in path:
        kinds += ["path", "path"]
    if method == "GET":
        kinds += ["query", "query", "repeat"]
    return tuple(kinds)


@st.composite
def _odd_requests(draw: st.DrawFn) -> tuple[tuple[str, str], str, int, int]:
    """(route, what to change, which place, which value): the place and value are picked among those the route's
    request has when it is made (a modulo), so a route's new field is swept without a change here."""
    route = draw(st.sampled_from(sorted(ROUTES)))
    kind = draw(st.sampled_from(_kinds(route)))
    return route, kind, draw(st.integers(0, 10**6)), draw(st.integers(0, 10**6))


def _odd(c: Callers, route: tuple[str, str], kind: str, place: int, pick: int) -> tuple[Request, Any, Any]:
    """The route's request with one odd thing in it; (request, place, value) for a value put in the body."""
    request = ROUTES[route](c)
    at: Any = None
    value: Any = None
    if kind == "leaf" and request.body is not None:
        spots = list(places(request.body))
        at = spots[place % len(spots)]
        choices = odd_values(at_place(request.body, at))
        value = choices[pick % len(choices)]
        request.body = put(request.body, at, value)
    elif kind == "path" and request.params:
        name = sorted(request.params)[place % len(request.params)]
        request.params[name] = ODD_PATH[pick % len(ODD_PATH)]
    elif kind == "query":
        names = [k for k, _ in request.query] or ["cursor"]  # a route without a query: a parameter it does not take
        name = names[place % len(names)]
        request.query = [(k, v) for k, v in request.query if k != name] + [(name, ODD_QUERY[pick % len(ODD_QUERY)])]
    elif kind == "repeat":
        request.query += [request.query[place % len(request.query)]] if request.query else [("cursor", "0")] * 2
    elif kind == "empty":
        request.query.append(("", ""))
    elif kind == "body":
        request.raw = ODD_BODIES[pick % len(ODD_BODIES)]
    elif kind == "twice" and isinstance(request.body, dict) and request.body:
        first = sorted(request.body)[place % len(request.body)]
        text = json.dumps(request.body, ensure_ascii=True)
        request.raw = ("{" + json.dumps(first) + ": " + json.dumps(request.body[first]) + ", " + text[1:]).encode()
    elif kind == "type":
        request.raw = json.dumps(request.body).encode() if request.body is not None else b"{}"
        request.content_type = ("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"
                                )[pick % 3]
    if request.route == "/v1/audit":
        rehash_audit(request)
    return request, at, value


def test_every_route_of_the_app_is_swept() -> None:
    paths = create_app(new_config("postgresql://unused")).openapi()["paths"]
    served = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert served == set(ROUTES), f"a valid request of each route goes in odd_requests.ROUTES: {served ^ set(ROUTES)}"


def test_every_route_answers_odd_values_with_a_4xx_or_stores_them_as_sent(
    callers: tuple[Callers, Path],
) -> None:
    c, log = callers
    swept: set[tuple[str, str]] = set()

    @settings(max_examples=200, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(_odd_requests())
    def sweep(drawn: tuple[tuple[str, str], str, int, int]) -> None:
        route, kind, place, pick = drawn
        request, at, value = _odd(c, route, kind, place, pick)
        before = fingerprint(c.env)
        answer = request.send(c.env.base_url)
        _check(c, request, answer, before)
        if at is not None:
            _sent_text_reads_back(c, request, at, value, answer)
        swept.add(route)

    sweep()
    assert swept == set(ROUTES), f"not reached by the sweep: {set(ROUTES) - swept}"
    assert httpx.get(f"{c.env.base_url}/health", timeout=30).status_code == 200  # still serving
    _log_holds_no_sent_text(log)


def _log_holds_no_sent_text(log: Path) -> None:
    text = log.read_text("utf-8")
    lines = text.splitlines()
    assert lines, "the server logged nothing"
    for line in lines:
        entry = json.loads(line)  # every line is one JSON object (no traceback, no uvicorn plain text)
        assert set(entry) <= LOG_KEYS, line
    for sent in NEVER_LOGGED:
        assert sent not in text, sent

