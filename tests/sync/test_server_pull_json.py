"""The pull page PostgreSQL writes as JSON is held to the simple path: rows -> ServerChange -> PullResponse."""

from __future__ import annotations

import json
import time
import uuid
from datetime import date
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ibic.changes import FieldChange
from ibic.demo import demo_cases
from sync.protocol import PullResponse, ServerChange, WithdrawnCase
from sync.server import central, pull_service, push_checks, push_service
from sync.server.access import Actor
from sync.server.db import connect

UNIT, USER, OTHER, DEVICE = "unit-a", "user-a", "user-b", "laptop-a"
ACTOR = Actor(USER, UNIT, DEVICE)
# JSON values as a laptop may send them (jsonb cannot hold U+0000, which PostgreSQL refuses).
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=8)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), TEXT,
                    st.floats(allow_nan=False, allow_infinity=False))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(TEXT, inner, max_size=3)), max_leaves=6)


def reference_page(conn: Any, actor: Actor, cursor: int, limit: int, case_id: str | None) -> PullResponse:
    """The pull as it was built before PostgreSQL wrote the JSON: rows, then pydantic models."""
    with conn.transaction():
        top = max(int(conn.execute(f"SELECT coalesce(max(seq), 0) AS top FROM {table}").fetchone()["top"])
                  for table in ("change_log", "case_withdrawals"))
        scope = pull_service._SCOPE_ONE_CASE if case_id is not None else pull_service._SCOPE_ASSIGNED
        rows = conn.execute(
            "SELECT l.seq, l.record_type, l.record_id, l.path, l.op, l.value, l.version, l.op_id FROM change_log l"
            f" WHERE l.seq > %(cursor)s AND l.seq <= %(top)s AND {scope} ORDER BY l.seq LIMIT %(limit)s",
            {"cursor": cursor, "top": top, "limit": limit + 1, "user": actor.user_id, "case": case_id},
        ).fetchall()
        has_more = len(rows) > limit
        changes = [ServerChange(seq=int(r["seq"]), record_type=r["record_type"], record_id=r["record_id"],
                                path=r["path"], op=r["op"], value=r["value"], version=int(r["version"]),
                                op_id=r["op_id"])
                   for r in rows[:limit]]
        next_cursor = changes[-1].seq if has_more else max(cursor, top)
        mine_now = {r["case_id"] for r in conn.execute(
            "SELECT case_id FROM case_access WHERE assigned_user_id = %s", (actor.user_id,)).fetchall()}
        withdrawn = [] if case_id is not None else [
            WithdrawnCase(seq=int(r["seq"]), case_id=r["case_id"]) for r in conn.execute(
                "SELECT seq, case_id FROM case_withdrawals WHERE user_id = %s ORDER BY seq", (actor.user_id,)
            ).fetchall()
            if cursor < int(r["seq"]) <= next_cursor and r["case_id"] not in mine_now
        ]
    return PullResponse(changes=changes, next_cursor=next_cursor, has_more=has_more, withdrawn=withdrawn)


def canonical(value: Any) -> str:
    """JSON text that tells 1 from 1.0 and True from 1 (== on Python values does not)."""
    return json.dumps(value, sort_keys=True)


def assert_same_page(conn: Any, cursor: int, limit: int, case_id: str | None = None) -> PullResponse:
    conn.commit()  # the pull's barrier takes the ordering lock in a transaction of its own (ordering.settled_top)
    fast = pull_service.pull_page_json(conn, ACTOR, cursor, limit, case_id)
    simple = reference_page(conn, ACTOR, cursor, limit, case_id)
    assert PullResponse.model_validate_json(fast) == simple
    assert canonical(json.loads(fast)) == canonical(json.loads(simple.model_dump_json()))
    return simple


@pytest.fixture()
def conn(database_url: str) -> Any:
    with connect(database_url) as connection:
        central.create_unit(connection, UNIT, "Enhet A")
        central.create_user(connection, USER, UNIT)
        central.create_user(connection, OTHER, UNIT)
        yield connection


def _push(conn: Any, case_id: str, edits: list[tuple[str, str, Any]]) -> None:
    changes = [FieldChange(op_id=uuid.uuid4().hex, record_type="case", record_id=case_id, path=path, op=op,
                           value=value, base_version=0, hlc=f"{int(time.time() * 1000):013d}-0000-{DEVICE}",
                           device_id=DEVICE, user_id=USER) for path, op, value in edits]
    # Any JSON, as servers before the push check (push_checks) stored it: the pull pages whatever the log holds.
    with (patch.object(push_checks, "op_problem", lambda *_: ""),
          patch.object(push_checks, "refuse_broken_creations", lambda *_: None)):
        results = push_service.push_batch(conn, ACTOR, changes)
    assert all(r.status == "applied" for r in results)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(VALUES, min_size=1, max_size=6), limit=st.integers(1, 4))
def test_json_pages_equal_the_model_pages(conn: Any, values: list[Any], limit: int) -> None:
    start = int(conn.execute("SELECT coalesce(max(seq), 0) AS s FROM change_log").fetchone()["s"])
    conn.commit()
    case_id = uuid.uuid4().hex
    _push(conn, case_id, [(f"v/k{i}", "set", value) for i, value in enumerate(values)] + [("v/k0", "remove", None)])
    cursor, pages = start, 0
    while True:
        page = assert_same_page(conn, cursor, limit)
        assert_same_page(conn, cursor, limit, case_id)
        cursor, pages = page.next_cursor, pages + 1
        if not page.has_more:
            break
    assert pages == len(values) // limit + 1


def test_scope_cursor_jump_and_empty_pages_match(conn: Any) -> None:
    mine, theirs = uuid.uuid4().hex, uuid.uuid4().hex
    _push(conn, mine, [("origin_note", "set", "Åsa \"citat\" \\ \n\t"), ("person_id", "set", None),
                       ('fri "text"\\/å\x01', "set", 1)])
    _push(conn, theirs, [("origin_note", "set", "annan")])
    central.assign_case(conn, theirs, UNIT, OTHER)  # reassigned away: a withdrawal after the changes
    whole = assert_same_page(conn, 0, 1000)
    assert [w.case_id for w in whole.withdrawn] == [theirs]
    assert not assert_same_page(conn, 0, 1).withdrawn  # a first page of one change stops before the withdrawal
    assert_same_page(conn, 0, 1000, theirs)
    top = int(conn.execute("SELECT max(seq) AS s FROM change_log").fetchone()["s"])  # the case re-sent to OTHER
    conn.commit()
    assert whole.withdrawn[0].seq < top == whole.next_cursor
    empty = assert_same_page(conn, top, 10)
    assert empty.changes == [] and empty.next_cursor == top and not empty.has_more
    assert assert_same_page(conn, top + 5, 10).next_cursor == top + 5


def test_a_bulk_registration_leaves_fresh_planner_statistics(conn: Any) -> None:
    """Pull pages rely on them: with the statistics of an empty change_log every page fetched and sorted it all."""
    people, cases = demo_cases(date(2026, 11, 23))
    person = next(p for p in people if p.id == cases[0].person_id)
    central.register_cases(conn, [(cases[0].model_dump(mode="json"), person.model_dump(mode="json"))], UNIT, USER)
    rows = conn.execute("SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname IN"
                        " ('change_log', 'records', 'case_access')").fetchall()
    conn.commit()
    assert len(rows) == 3 and all(r["last_analyze"] is not None for r in rows)



def test_a_pull_that_asks_names_each_change_s_device_and_one_that_does_not_has_no_such_key(conn: Any) -> None:
    """``authors`` (a restored laptop's pull, s29): each change carries the device that sent it, as the model writes
    it; without it the page is as before, with no ``device_id`` key a laptop before s29 would refuse."""
    case_id = uuid.uuid4().hex
    _push(conn, case_id, [("origin_note", "set", "x"), ("opened_on", "set", "2026-01-05")])
    central.assign_case(conn, case_id, UNIT, USER)
    asked = pull_service.pull_page_json(conn, ACTOR, 0, 10, None, authors=True)
    simple = reference_page(conn, ACTOR, 0, 10, None)
    named = simple.model_copy(update={"changes": [c.model_copy(update={"device_id": DEVICE}) for c in simple.changes]})
    assert PullResponse.model_validate_json(asked) == named
    assert canonical(json.loads(asked)) == canonical(json.loads(named.model_dump_json()))
    assert [c["device_id"] for c in json.loads(asked)["changes"]] == [DEVICE, DEVICE]
    plain = json.loads(pull_service.pull_page_json(conn, ACTOR, 0, 10, None))
    assert plain["changes"] and all("device_id" not in change for change in plain["changes"])
