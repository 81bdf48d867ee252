"""Pages of the change log after a cursor, limited to what the caller may see."""

from __future__ import annotations

import json
from typing import Any

from sync.protocol import PROTOCOL_VERSION
from sync.server.access import Actor, Conn, require_case
from sync.server.ordering import settled_top
from sync.server.withdrawals import withdrawals_between

_SCOPE_ASSIGNED = (
    "((l.record_type = 'case' AND EXISTS (SELECT 1 FROM case_access a"
    "   WHERE a.case_id = l.record_id AND a.assigned_user_id = %(user)s))"
    " OR (l.record_type = 'person' AND EXISTS (SELECT 1 FROM case_access a"
    "   WHERE a.person_id = l.record_id AND a.assigned_user_id = %(user)s)))"
)
_SCOPE_ONE_CASE = (
    "((l.record_type = 'case' AND l.record_id = %(case)s)"
    " OR (l.record_type = 'person' AND l.record_id = (SELECT person_id FROM case_access WHERE case_id = %(case)s)))"
)
# PostgreSQL writes each change as a ServerChange in JSON (same keys, same order as pydantic's model_dump_json):
# to_json() escapes the strings, a stored jsonb value is already JSON, a remove (SQL NULL) is null. The page then
# crosses the wire and the app as ONE text value: no row objects, no ServerChange models, no re-validation.
_CHANGE_JSON = (
    "concat('{\"protocol\":" + str(PROTOCOL_VERSION) + ",\"seq\":', p.seq, ',\"record_type\":', to_json(p.record_type),"
    " ',\"record_id\":', to_json(p.record_id), ',\"path\":', to_json(p.path), ',\"op\":', to_json(p.op),"
    " ',\"value\":', coalesce(p.value::text, 'null'), ',\"version\":', p.version, ',\"op_id\":', to_json(p.op_id),"
    " /*author*/'}')"
)
# The device that sent each change, for a pull that asks (a restored laptop's), in the slot /*author*/ above: after
# op_id, as the model has it; otherwise the key is absent (a laptop before s29 refuses a key it does not know).
_AUTHOR_JSON = "',\"device_id\":', to_json(p.device_id),"


def pull_page_json(conn: Conn, actor: Actor, cursor: int, limit: int, case_id: str | None, *,
                   authors: bool = False) -> bytes:
    """A PullResponse as JSON: changes with seq > cursor, of the user's assigned cases and their persons, or of
    one case of the unit; with ``authors``, each names the device that sent it."""
    change_json = _CHANGE_JSON.replace("/*author*/", _AUTHOR_JSON if authors else "")
    author_column = ", l.device_id" if authors else ""  # read only when asked: an ordinary page is as before
    top = settled_top(conn)  # no seq at or below it is still to come (ordering.py)
    with conn.transaction():  # ended here, so the connection is left as found: the next pull's barrier needs that
        if case_id is not None:
            require_case(conn, actor, case_id)
        scope = _SCOPE_ONE_CASE if case_id is not None else _SCOPE_ASSIGNED
        params: dict[str, Any] = {"cursor": cursor, "top": top, "limit": limit, "user": actor.user_id,
                                  "case": case_id}
        # One row more than the page tells whether more follow; it is counted, never sent.
        row = conn.execute(
            # Numbered after the LIMIT: a window function in the scan itself would number every match, not stop.
            "WITH found AS MATERIALIZED (SELECT l.seq, l.record_type, l.record_id, l.path, l.op, l.value, l.version,"
            f" l.op_id{author_column} FROM change_log l WHERE l.seq > %(cursor)s AND l.seq <= %(top)s AND {scope}"
            " ORDER BY l.seq LIMIT %(limit)s + 1),"
            " page AS (SELECT f.*, row_number() OVER (ORDER BY f.seq) AS n FROM found f)"
            " SELECT (SELECT count(*) FROM found) AS found,"
            " (SELECT max(p.seq) FROM page p WHERE p.n <= %(limit)s) AS last,"
            f" (SELECT string_agg({change_json}, ',' ORDER BY p.seq) FROM page p WHERE p.n <= %(limit)s) AS changes",
            params,
        ).fetchone()
        assert row is not None
        has_more = int(row["found"]) > limit
        # With nothing more to send, the cursor jumps to the top seen, so the next pull does not rescan others'.
        next_cursor = int(row["last"]) if has_more else max(cursor, top)
        withdrawn = [] if case_id is not None else [
            {"protocol": PROTOCOL_VERSION, "seq": seq, "case_id": withdrawn_id}
            for seq, withdrawn_id in withdrawals_between(conn, actor.user_id, cursor, next_cursor)
        ]
    return page_body(row["changes"] or "", next_cursor=next_cursor, has_more=has_more, withdrawn=withdrawn)


def page_body(changes_json: str, **fields: Any) -> bytes:
    """The PullResponse body: ``changes_json`` (comma-separated ServerChange objects) plus the other fields."""
    head = json.dumps({"protocol": PROTOCOL_VERSION}, separators=(",", ":"))[:-1]
    tail = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)[1:]
    return f'{head},"changes":[{changes_json}],{tail}'.encode()
