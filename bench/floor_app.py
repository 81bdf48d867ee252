"""The sync benchmarks' reference server: ``python -m bench.floor_app DATABASE_URL PORT``.

Same uvicorn, same PostgreSQL as the real server, nothing else:
- ``POST /blob`` / ``GET /blob``: the FLOOR of quality.md. Receives the bytes in one request, parses the JSON and
  stores them in one row in one transaction; or answers the stored bytes.
- ``POST /bound/push`` / ``POST /bound/pull``: the LEAST work the sync protocol of issue 6 asks of a server, as
  set-based SQL on three minimal tables (see bench_sync_bound.py). No authorisation, no documents, no validation,
  no hashing, no audit: a lower bound for what any implementation of that protocol must spend.

Each route opens its own connection, as the floor always did, so that both sides pay the same set-up.
"""

from __future__ import annotations

import json
import sys

import psycopg
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

BOUND_TABLES = (
    "CREATE TABLE IF NOT EXISTS bound_applied (op_id text PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS bound_versions (record_id text, path text, version bigint NOT NULL, "
    "PRIMARY KEY (record_id, path))",
    "CREATE TABLE IF NOT EXISTS bound_log (seq bigserial PRIMARY KEY, op_id text NOT NULL, record_id text NOT NULL, "
    "path text NOT NULL, version bigint NOT NULL, value jsonb)",
)

# One statement, what the protocol cannot do without: an op id seen before is a duplicate (one index insert); a
# field changed since the op's base version is a conflict (one version row read and bumped); an applied change is
# appended to the ordered log that pulls read (one row). The answer is per op, as the protocol requires.
PUSH_SQL = """
WITH ops AS (
    SELECT e->>'op_id' AS op_id, e->>'record_id' AS record_id, e->>'path' AS path, e->'value' AS value,
           (e->>'base_version')::bigint AS base
    FROM jsonb_array_elements(%(body)s::jsonb -> 'changes') AS e),
fresh AS (
    INSERT INTO bound_applied (op_id) SELECT op_id FROM ops ON CONFLICT DO NOTHING RETURNING op_id),
bumped AS (
    UPDATE bound_versions AS v SET version = v.version + 1 FROM ops JOIN fresh USING (op_id)
    WHERE v.record_id = ops.record_id AND v.path = ops.path AND v.version <= ops.base
    RETURNING ops.op_id, v.record_id, v.path, v.version, ops.value),
logged AS (
    INSERT INTO bound_log (op_id, record_id, path, version, value)
    SELECT op_id, record_id, path, version, value FROM bumped RETURNING op_id, version)
SELECT coalesce(json_agg(json_build_array(op_id, version)), '[]')::text FROM logged
"""

PULL_SQL = """
SELECT json_build_object('changes', coalesce(json_agg(json_build_object(
           'seq', seq, 'op_id', op_id, 'record_id', record_id, 'path', path, 'version', version, 'value', value)
           ORDER BY seq), '[]'), 'next_cursor', coalesce(max(seq), %(cursor)s))::text
FROM (SELECT * FROM bound_log WHERE seq > %(cursor)s ORDER BY seq LIMIT %(limit)s) AS page
"""


def build(url: str) -> Starlette:
    """The reference app on the database at ``url``."""
    with psycopg.connect(url) as conn:  # so that a GET before the first POST answers "null", not an error
        conn.execute("CREATE TABLE IF NOT EXISTS floor_blob (id int PRIMARY KEY, body bytea)")

    async def put_blob(request: Request) -> Response:
        body = await request.body()
        json.loads(body)
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS floor_blob (id int PRIMARY KEY, body bytea)")
            conn.execute("INSERT INTO floor_blob VALUES (1, %s) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body",
                         (body,))
        return JSONResponse({"ok": True})

    async def get_blob(request: Request) -> Response:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT body FROM floor_blob WHERE id = 1").fetchone()
        return Response(bytes(row[0]) if row else b"null", media_type="application/json")

    async def bound_push(request: Request) -> Response:
        body = await request.body()
        json.loads(body)  # the floor parses too: a malformed body must be refused before the database
        with psycopg.connect(url) as conn:
            row = conn.execute(PUSH_SQL, {"body": body.decode("utf-8")}).fetchone()
        return Response(row[0] if row else "[]", media_type="application/json")

    async def bound_pull(request: Request) -> Response:
        asked = json.loads(await request.body())
        with psycopg.connect(url) as conn:
            row = conn.execute(PULL_SQL, {"cursor": int(asked["cursor"]), "limit": int(asked["limit"])}).fetchone()
        return Response(row[0] if row else "{}", media_type="application/json")

    return Starlette(routes=[
        Route("/blob", put_blob, methods=["POST"]),
        Route("/blob", get_blob, methods=["GET"]),
        Route("/bound/push", bound_push, methods=["POST"]),
        Route("/bound/pull", bound_pull, methods=["POST"]),
    ])


def create_bound_tables(url: str) -> None:
    """The three tables of the protocol's lower bound (empty)."""
    with psycopg.connect(url) as conn:
        for statement in BOUND_TABLES:
            conn.execute(statement)


if __name__ == "__main__":
    uvicorn.run(build(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_config=None, access_log=False)
