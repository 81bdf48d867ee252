"""The push body read in one pass against the general path, by HTTP: two real servers on one database, one of them
built without the one-pass reader, answer the same odd bodies alike (status, error and message; per op, what
happened to it), and store the same thing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sync_support import VERIFY, Device, Env, ThreadServer, assigned_cases, new_config, version_of

from sync.server import strict_json
from sync.server.dev import DEMO_USER

LIMIT = 64 * 1024


@dataclass
class Twins:
    one_pass: str
    general: str
    device: Device


@pytest.fixture()
def env(env: Env) -> Iterator[Env]:
    """The folder's server, the queries here (four in each of the 80 examples) on one connection."""
    with env.one_connection():
        yield env


@pytest.fixture()
def twins(env: Env, monkeypatch: pytest.MonkeyPatch) -> Iterator[Twins]:
    """The base URLs of a server reading push bodies in one pass and of one that never does (the general path
    alone, as before s18-pushsrv), on the same database, with the same secret and a small body limit."""
    shared = {"token_secret": env.config.token_secret, "max_body_bytes": LIMIT, "rate_per_second": 1e6,
              "rate_burst": 1_000_000}
    one_pass = ThreadServer(new_config(env.database_url, **shared)).start()
    monkeypatch.setattr(strict_json, "ONE_PASS", {})
    general = ThreadServer(new_config(env.database_url, **shared)).start()
    monkeypatch.undo()
    try:
        yield Twins(f"http://127.0.0.1:{one_pass.config.port}", f"http://127.0.0.1:{general.config.port}",
                    env.enroll(DEMO_USER, "laptop-twins"))
    finally:
        one_pass.stop()
        general.stop()


# Raw JSON put in a change's value (or around the body): what the two readers might take differently.
_VALUES = [
    b'"vanlig text"', b"1e400", b"-1E+999", b"1" + b"0" * 400, b"-0", b"-0.0", b"1.0", b"1e2", b"2E-3", b"1e-400",
    b'"a\\u0000b"', b'"a\x00b"', b'"\\ud800"', b'"\\udc00x"', b'"\\ud83d\\ude00"', b'"\xed\xa0\x80"', b'"\xff"',
    b'"\xc3\xa5\xe2\x80\xa8"', b'"\\u2028 \\" \\\\ \'"', b'"NaN"', b"NaN", b"Infinity", b"-Infinity", b"nan",
    b'{"a": 1, "a": 2}', b'{"a": {"b": 1}, "a": [2]}', b'{"\\u0000": 1}', b'{"x\\ud800": 1}', b"[1, 2,]", b"01",
    b"+1", b".5", b"true", b"null", b"[]", b"{}", b'"a\tb"', b'"a\x7fb"', b"[1 2]", b"9223372036854775808",
]


def _nested(depth: int) -> bytes:
    return b'{"a": ' * depth + b"1" + b"}" * depth


def _render(ops: list[tuple[str, bytes, str]], around: str, device: Device, case: str, version: int) -> bytes:
    changes = []
    for base, value, field in ops:
        change = device.change(case, "origin_note", "VALUE", version if base == "current" else version + 10**6)
        text = json.dumps(change.model_dump(mode="json")).encode()
        text = text.replace(b'"VALUE"', value)
        bv = f'"base_version": {change.base_version}'.encode()
        text = {
            "field": text.replace(b'"origin_note"', b'"chosen_provider"'),
            "dup_field": text[:-1] + b', "path": "needs"}',
            "extra": text[:-1] + b', "extra": 1}',
            "bv_float": text.replace(bv, bv + b".0"),
            "bv_neg0": text.replace(bv, b'"base_version": -0') if base == "stale" else text,
            "bv_huge": text.replace(bv, b'"base_version": 1' + b"0" * 30),
            "op_remove": text.replace(b'"op": "set"', b'"op": "remove"'),
        }.get(field, text)
        changes.append(text)
    body = b'{"changes": [' + b", ".join(changes) + b"]}"
    return {
        "bom": b"\xef\xbb\xbf" + body, "trailing": body + b" x", "whitespace": b" \r\n\t" + body + b"\n ",
        "ff": body + b"\x0c", "dup_changes": body[:-1] + b', "changes": []}',
        "closing_dup": body[:-1] + b', "closing": true, "closing": false}', "extra": body[:-1] + b', "x": 1}',
    }.get(around, body)


def _answer(url: str, device: Device, body: bytes) -> tuple[int, Any]:
    answer = httpx.post(f"{url}/v1/push", content=body, timeout=30, verify=VERIFY,
                        headers={**device.headers(), "Content-Type": "application/json"})
    payload = answer.json()
    if answer.status_code != 200:
        payload.pop("message") if answer.status_code == 500 else None  # an incident id of its own
        return answer.status_code, payload
    # Whichever server is asked second finds the first one's applied ops applied before: the same outcome.
    return 200, [(r["op_id"], "applied" if r["status"] == "duplicate" else r["status"], r["reason"])
                 for r in payload["results"]]


@settings(deadline=None, max_examples=80, suppress_health_check=list(HealthCheck), database=None)
@given(st.data())
def test_both_readers_answer_every_odd_body_alike(env: Env, twins: Twins, data: st.DataObject) -> None:
    device = twins.device
    case = assigned_cases(env, DEMO_USER)[0]["case_id"]
    draw_ops = data.draw(st.lists(st.tuples(st.sampled_from(["current", "stale"]),
                                            st.sampled_from(_VALUES) | st.integers(58, 63).map(_nested),
                                            st.sampled_from(["", "field", "dup_field", "extra", "bv_float", "bv_neg0",
                                                             "bv_huge", "op_remove"])), min_size=1, max_size=3))
    around = data.draw(st.sampled_from(["", "bom", "trailing", "whitespace", "ff", "dup_changes", "closing_dup",
                                        "extra"]))
    body = _render(draw_ops, around, device, case, version_of(env, "case", case))
    one_pass, general = twins.one_pass, twins.general
    first, second = (one_pass, general) if data.draw(st.booleans()) else (general, one_pass)
    before = env.sql("SELECT document FROM record_documents WHERE record_id = %s", (case,))[0]["document"]
    answer_first = _answer(first, device, body)
    after_first = env.sql("SELECT document FROM record_documents WHERE record_id = %s", (case,))[0]["document"]
    answer_second = _answer(second, device, body)
    after_second = env.sql("SELECT document FROM record_documents WHERE record_id = %s", (case,))[0]["document"]
    assert answer_first == answer_second
    assert after_second == after_first  # the second server applied nothing more
    if answer_first[0] != 200:
        assert after_first == before


def test_a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused_alike(env: Env, twins: Twins) -> None:
    device = twins.device
    case = assigned_cases(env, DEMO_USER)[0]["case_id"]
    change = device.change(case, "origin_note", "", version_of(env, "case", case) + 10**6)  # a conflict: stores nothing
    body = json.dumps({"changes": [change.model_dump(mode="json")]}).encode()
    body = body.replace(b'"value": ""', b'"value": "' + b"x" * (LIMIT - len(body)) + b'"')
    assert len(body) == LIMIT
    for size in (LIMIT, LIMIT + 1):
        sent = body if size == LIMIT else body + b" "
        answers = [_answer(url, device, sent) for url in (twins.one_pass, twins.general)]
        assert answers[0] == answers[1]
        assert answers[0][0] == (200 if size == LIMIT else 413)
