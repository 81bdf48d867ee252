"""Odd but legal JSON values pushed over HTTP are stored and pulled exactly as sent: the push encodes its
parameters with pydantic's serializer (sync/server/push_service.py ``_jsonb``), not ``json.dumps``."""

from __future__ import annotations

from typing import Any

from sync_support import Env, assigned_cases, version_of

from sync.server.dev import DEMO_USER

ODD: dict[str, Any] = {
    "big": 2 ** 70, "negative_big": -(2 ** 80), "large_float": 1e16, "small_float": 1.5e-7, "tenth": 0.1,
    "zero": 0, "text": "Anteckning: \"citat\", \\ snedstreck, å ä ö, \u2028 radavgränsare, \U0001f600, \t tabb",
    "empty": "", "nothing": None, "yes": True, "list": [[], {}, [1, [2, [3]]], {"ä": {"ö": [None, False]}}],
}


def test_odd_values_are_stored_and_pulled_as_sent(env: Env) -> None:
    laptop, other = env.enroll(DEMO_USER, "laptop-one"), env.enroll(DEMO_USER, "laptop-two")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = version_of(env, "case", case_id)
    _, cursor = other.pull_all()

    answer = laptop.push([laptop.change(case_id, "odd_entry", ODD, base),
                          laptop.change(case_id, "origin_note", ODD["text"], base)])

    assert [r["status"] for r in answer.json()["results"]] == ["applied", "applied"]
    document = laptop.record("case", case_id)["document"]
    assert (document["odd_entry"], document["origin_note"]) == (ODD, ODD["text"])
    pulled, _ = other.pull_all(cursor)
    assert [(c["path"], c["value"]) for c in pulled] == [("odd_entry", ODD), ("origin_note", ODD["text"])]
