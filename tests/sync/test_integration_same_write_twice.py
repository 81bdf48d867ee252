"""A central field write sent again as it stands (an integration's retry after a lost answer) changes nothing
(s25-probesrv). Before, every resend was a new version and a new change in the log: the laptop's edit of that field,
based on the version it had pulled, became a conflict against the very value it had already seen, and the feed
carried the same change twice. Each test but the last fails on main; the last holds the
comparison to JSON's kinds."""

from __future__ import annotations

from typing import Any

import pytest
from sync_support import Env, version_of
from test_integration_api import _call, _key, _new_case, _register

from sync.server.dev import DEMO_USER


def _registered_person(env: Env) -> tuple[str, dict[str, Any], str]:
    """An integration key, a person registered with a case through it, and the person's record path."""
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    return key, person, f"/records/person/{person['id']}"


def _log_rows(env: Env, record_id: str) -> int:
    return int(env.sql("SELECT count(*) AS n FROM change_log WHERE record_id = %s", (record_id,))[0]["n"])


@pytest.mark.parametrize("values", [
    {"phone": "070-111 11 11"},
    {"address": {"street": "Storgatan 1", "postal_code": "123 45", "city": "Kommunen"}},
    {"address/street": "Storgatan 1", "interpreter_needed": True},
])
def test_the_same_write_twice_is_one_version_and_one_change(env: Env, values: dict[str, object]) -> None:
    key, person, path = _registered_person(env)
    first = _call(env, key, "PATCH", path, {"values": values})
    assert first.status_code == 200, first.text
    rows = _log_rows(env, person["id"])
    again = _call(env, key, "PATCH", path, {"values": values})
    assert (again.status_code, again.json()) == (200, first.json())
    assert version_of(env, "person", person["id"]) == first.json()["version"]
    assert _log_rows(env, person["id"]) == rows


def test_a_laptop_edit_based_on_the_pulled_version_is_no_conflict_after_a_resent_write(env: Env) -> None:
    key, person, path = _registered_person(env)
    assert _call(env, key, "PATCH", path, {"values": {"phone": "070-111 11 11"}}).status_code == 200
    laptop = env.enroll(DEMO_USER, "laptop-1")
    seen = version_of(env, "person", person["id"])  # the laptop pulled the central phone number
    assert _call(env, key, "PATCH", path, {"values": {"phone": "070-111 11 11"}}).status_code == 200
    pushed = laptop.push([laptop.change(person["id"], "phone", "070-222 22 22", seen, record_type="person")])
    assert pushed.json()["results"][0]["status"] == "applied", pushed.text
    assert _call(env, key, "GET", path).json()["document"]["phone"] == "070-222 22 22"


def test_a_write_of_one_changed_and_one_unchanged_field_logs_only_the_change(env: Env) -> None:
    key, _person, path = _registered_person(env)
    assert _call(env, key, "PATCH", path, {"values": {"phone": "070-1"}}).status_code == 200
    last = env.sql("SELECT max(seq) AS seq FROM change_log")[0]["seq"]
    written = _call(env, key, "PATCH", path, {"values": {"phone": "070-1", "language": "finska"}})
    assert written.status_code == 200, written.text
    paths = [row["path"] for row in env.sql("SELECT path FROM change_log WHERE seq > %s ORDER BY seq", (last,))]
    assert paths == ["language"]
    document = _call(env, key, "GET", path).json()["document"]
    assert (document["phone"], document["language"]) == ("070-1", "finska")


def test_a_value_equal_only_loosely_is_still_judged_not_dropped(env: Env) -> None:
    # 1 == True in Python: a resend "equal" that way must still be refused as the wrong kind, never taken silently.
    key, _person, path = _registered_person(env)
    assert _call(env, key, "PATCH", path, {"values": {"interpreter_needed": True}}).status_code == 200
    loose = _call(env, key, "PATCH", path, {"values": {"interpreter_needed": 1}})
    assert loose.status_code == 422, loose.text
