"""Text the server cannot store in a push (U+0000: not in PostgreSQL text or jsonb; a lone surrogate: not in
UTF-8) or in a record id: a clear answer, never a 500.

A 5xx would make the laptop retry the same batch for ever; a rejected op is recorded there and the rest flows.
"""

from __future__ import annotations

import json

import httpx
from sync_support import Env, assigned_cases, version_of

from sync.server.dev import DEMO_USER
from sync.server.push_screen import UNSTORABLE_REASON


def test_ops_holding_nul_are_rejected_alone_and_the_rest_of_the_batch_applies(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-nul")
    case = assigned_cases(env, DEMO_USER)[0]["case_id"]
    version = version_of(env, "case", case)
    changes = [
        device.change(case, "origin_note", "före", version),
        device.change(case, "origin_note", "med \x00 tecken", version),
        device.change(case, "needs\x00", "x", version),
        device.change(case, "extra", {"list": ["ok", {"nyckel\x00": 1}]}, version),
        device.change("new-\x00-case", "origin_note", "x", 0),
        device.change(case, "chosen_provider", "efter", version),
    ]
    stored = env.stored_counts()
    answer = device.push(changes)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["applied", "rejected", "rejected", "rejected", "rejected", "applied"]
    assert {r["reason"] for r in results if r["status"] == "rejected"} == {UNSTORABLE_REASON}
    assert [r["op_id"] for r in results] == [c.op_id for c in changes]
    assert results[-1]["new_version"] == version + 2
    document = device.record("case", case)["document"]
    assert document["origin_note"] == "före" and document["chosen_provider"] == "efter" and "extra" not in document
    after = env.stored_counts()
    assert after["applied_ops"] == stored["applied_ops"] + 2 and after["change_log"] == stored["change_log"] + 2
    assert env.sql("SELECT count(*) AS n FROM records WHERE record_id LIKE 'new-%%'")[0]["n"] == 0
    again = device.push(changes).json()["results"]  # pushing twice is harmless
    assert [r["status"] for r in again] == ["duplicate", "rejected", "rejected", "rejected", "rejected", "duplicate"]


def test_a_value_holding_a_lone_surrogate_is_rejected_alone(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-surrogate")
    case = assigned_cases(env, DEMO_USER)[0]["case_id"]
    version = version_of(env, "case", case)
    changes = [device.change(case, "origin_note", "SURROGATE", version),
               device.change(case, "extra", {"SURROGATE": 1}, version),
               device.change(case, "chosen_provider", "efter", version)]
    # Sent as raw JSON: "\ud800" alone is valid JSON text but no UTF-8 string (httpx could not encode it).
    body = json.dumps({"changes": [c.model_dump(mode="json") for c in changes]}).replace("SURROGATE", "a\\ud800b")
    answer = httpx.post(f"{env.base_url}/v1/push", content=body.encode("ascii"),
                        headers={**device.headers(), "content-type": "application/json"})
    assert answer.status_code == 200
    assert [(r["status"], r["reason"]) for r in answer.json()["results"]] == [
        ("rejected", UNSTORABLE_REASON), ("rejected", UNSTORABLE_REASON), ("applied", "")]
    reused = json.loads(body)
    reused["changes"][2]["op_id"] = reused["changes"][0]["op_id"]  # the same op id, other content: refused whole
    refused = httpx.post(f"{env.base_url}/v1/push", content=json.dumps(reused).encode("ascii"),
                         headers={**device.headers(), "content-type": "application/json"})
    assert refused.status_code == 409


def test_a_record_id_holding_nul_is_answered_like_any_unknown_id(env: Env) -> None:
    device = env.enroll(DEMO_USER, "laptop-nul-read")
    for record_type in ("case", "person"):
        nul = httpx.get(f"{env.base_url}/v1/records/{record_type}/a%00b", headers=device.headers())
        unknown = httpx.get(f"{env.base_url}/v1/records/{record_type}/ab", headers=device.headers())
        assert nul.status_code == unknown.status_code == 403
        assert nul.json() == unknown.json()


def test_a_number_beyond_a_float_is_rejected_alone_either_way_the_body_is_read(env: Env) -> None:
    # 1e400 is a valid JSON number; Python (json.loads or pydantic's parser) reads it as inf, which PostgreSQL's
    # jsonb refuses: the whole batch was a 500, retried by the laptop for ever.
    device = env.enroll(DEMO_USER, "laptop-overflow")
    case = assigned_cases(env, DEMO_USER)[0]["case_id"]
    for text in ("ett", "NaN i texten"):  # the second takes the general path (the letters NaN), the first one pass
        version = version_of(env, "case", case)
        changes = [device.change(case, "origin_note", text, version),
                   device.change(case, "extra", "HUGE", version),
                   device.change(case, "extra", {"lista": [1, "NEGHUGE"]}, version),
                   device.change(case, "chosen_provider", f"efter {text}", version)]
        body = json.dumps({"changes": [c.model_dump(mode="json") for c in changes]})
        body = body.replace('"HUGE"', "1e400").replace('"NEGHUGE"', "-1E+999")
        answer = httpx.post(f"{env.base_url}/v1/push", content=body.encode(),
                            headers={**device.headers(), "content-type": "application/json"})
        assert answer.status_code == 200, answer.text
        assert [(r["status"], r["reason"]) for r in answer.json()["results"]] == [
            ("applied", ""), ("rejected", UNSTORABLE_REASON), ("rejected", UNSTORABLE_REASON), ("applied", "")]
        document = device.record("case", case)["document"]
        assert document["origin_note"] == text and document["chosen_provider"] == f"efter {text}"
        assert "extra" not in document
