"""An assignment sent again as it stands (a retry after a lost answer, a nightly re-send of every case's owner) moves
nothing and logs nothing (s25-probesrv). Before, each one logged the case and its person whole again: every field
went to the handläggare's next pull once more (some 30 changes for a small case) and to the integration's feed.
Fails on main. A real move still brings the case whole to the new laptop and away from the old one."""

from __future__ import annotations

from pathlib import Path

from sync_support import Env, make_laptop
from test_integration_api import _call, _key, _new_case, _register

from sync.server.dev import DEMO_UNIT, DEMO_USER, OTHER_UNIT, OTHER_USER


def _last_seq(env: Env) -> int:
    return int(env.sql("SELECT coalesce(max(seq), 0) AS seq FROM change_log")[0]["seq"])


def test_the_same_assignment_twice_logs_nothing_the_second_time(env: Env, tmp_path: Path) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    for assignment in ({"unit_id": DEMO_UNIT, "user_id": DEMO_USER}, {"unit_id": DEMO_UNIT, "user_id": None}):
        first = _call(env, key, "PUT", f"/cases/{case['id']}/assignment", assignment)
        assert (first.status_code, first.json()) == (200, {"protocol": 1, **assignment}), first.text
        seq = _last_seq(env)
        again = _call(env, key, "PUT", f"/cases/{case['id']}/assignment", assignment)
        assert (again.status_code, again.json()) == (200, first.json())
        assert _last_seq(env) == seq
    assert env.sql("SELECT count(*) AS n FROM case_withdrawals WHERE case_id = %s", (case["id"],))[0]["n"] == 1


def test_a_real_move_after_a_repeated_one_still_moves_the_case(env: Env, tmp_path: Path) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    assert _register(env, key, case, person).status_code == 201
    old, new = make_laptop(env, tmp_path / "old", DEMO_USER), make_laptop(env, tmp_path / "new", OTHER_USER)
    old.sync()
    same = {"unit_id": DEMO_UNIT, "user_id": DEMO_USER}
    assert _call(env, key, "PUT", f"/cases/{case['id']}/assignment", same).status_code == 200
    moved = {"unit_id": OTHER_UNIT, "user_id": OTHER_USER}
    assert _call(env, key, "PUT", f"/cases/{case['id']}/assignment", moved).status_code == 200
    assert old.sync().withdrawn_removed == 1
    new.sync()
    assert new.profile.cases.load(case["id"]).person_id == person["id"]
