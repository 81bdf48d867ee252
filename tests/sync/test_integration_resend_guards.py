"""Guards for s25-probesrv's leaving out of writes already so (s25-rprobesrv; they pass on main as on the branch):
a field write of a value a laptop has since changed still wins, a laptop edit older than a central write still is
judged as without the resend, and a case moved back and forth (A, B, A, repeated each time) reaches each laptop."""

from __future__ import annotations

from pathlib import Path

from sync_support import Env, make_laptop, version_of
from test_integration_api import _call, _key, _new_case, _register

from sync.server.dev import DEMO_UNIT, DEMO_USER, OTHER_UNIT, OTHER_USER


def _registered(env: Env, integration_id: str = "lifecare") -> tuple[str, dict[str, object], dict[str, object]]:
    key = _key(env, integration_id)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    return key, case, person


def test_a_value_a_laptop_changed_since_is_written_again(env: Env) -> None:
    key, _case, person = _registered(env)
    path = f"/records/person/{person['id']}"
    seen = _call(env, key, "PATCH", path, {"values": {"phone": "070-1"}}).json()["version"]
    laptop = env.enroll(DEMO_USER, "laptop-1")
    pushed = laptop.push([laptop.change(str(person["id"]), "phone", "070-2", seen, record_type="person")])
    assert pushed.json()["results"][0]["status"] == "applied", pushed.text
    again = _call(env, key, "PATCH", path, {"values": {"phone": "070-1"}})
    assert again.status_code == 200, again.text
    assert again.json()["version"] == version_of(env, "person", str(person["id"])) > seen + 1
    assert _call(env, key, "GET", path).json()["document"]["phone"] == "070-1"


def _older_edit_status(env: Env, resent: bool) -> str:
    key, _case, person = _registered(env, f"integration-{int(resent)}")
    path = f"/records/person/{person['id']}"
    laptop = env.enroll(DEMO_USER, f"laptop-{int(resent)}")
    older = version_of(env, "person", str(person["id"]))
    for _ in range(2 if resent else 1):
        assert _call(env, key, "PATCH", path, {"values": {"phone": "070-1"}}).status_code == 200
    pushed = laptop.push([laptop.change(str(person["id"]), "phone", "070-9", older, record_type="person")])
    return str(pushed.json()["results"][0]["status"])


def test_a_laptop_edit_older_than_a_resent_write_is_judged_as_without_the_resend(env: Env) -> None:
    assert _older_edit_status(env, resent=True) == _older_edit_status(env, resent=False) != "applied"


def test_a_case_moved_back_and_forth_reaches_each_laptop(env: Env, tmp_path: Path) -> None:
    key, case, person = _registered(env)
    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", OTHER_USER)
    a.sync()
    put = f"/cases/{case['id']}/assignment"
    for holder, other, assignment in ((b, a, {"unit_id": OTHER_UNIT, "user_id": OTHER_USER}),
                                      (a, b, {"unit_id": DEMO_UNIT, "user_id": DEMO_USER}),
                                      (b, a, {"unit_id": OTHER_UNIT, "user_id": OTHER_USER})):
        for _ in range(2):
            assert _call(env, key, "PUT", put, assignment).status_code == 200
        holder.sync()
        other.sync()
        assert holder.profile.cases.load(case["id"]).person_id == person["id"]
        assert case["id"] not in {s.case_id for s in other.profile.cases.list_summaries()}
