"""Pages of the change log after a cursor, limited to what the caller may see."""

from __future__ import annotations

from typing import Any

from sync.protocol import PullResponse, ServerChange
from sync.server.access import Actor, Conn, require_case

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


def pull_page(conn: Conn, actor: Actor, cursor: int, limit: int, case_id: str | None) -> PullResponse:
    """Changes with seq > cursor: the user's assigned cases and their persons, or one case of the unit."""
    if case_id is not None:
        require_case(conn, actor, case_id)
    with conn.transaction():
        top_row = conn.execute("SELECT coalesce(max(seq), 0) AS top FROM change_log").fetchone()
        assert top_row is not None
        top = int(top_row["top"])
        scope = _SCOPE_ONE_CASE if case_id is not None else _SCOPE_ASSIGNED
        params: dict[str, Any] = {"cursor": cursor, "top": top, "limit": limit + 1, "user": actor.user_id,
                                  "case": case_id}
        rows = conn.execute(
            "SELECT l.seq, l.record_type, l.record_id, l.path, l.op, l.value, l.version, l.op_id FROM change_log l"
            f" WHERE l.seq > %(cursor)s AND l.seq <= %(top)s AND {scope} ORDER BY l.seq LIMIT %(limit)s",
            params,
        ).fetchall()
    has_more = len(rows) > limit
    rows = rows[:limit]
    changes = [
        ServerChange(
            seq=int(r["seq"]), record_type=r["record_type"], record_id=r["record_id"], path=r["path"], op=r["op"],
            value=r["value"], version=int(r["version"]), op_id=r["op_id"],
        )
        for r in rows
    ]
    # With nothing more to send, the cursor jumps to the top seen, so the next pull does not rescan others' changes.
    next_cursor = changes[-1].seq if has_more else max(cursor, top)
    return PullResponse(changes=changes, next_cursor=next_cursor, has_more=has_more)
