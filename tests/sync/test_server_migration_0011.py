"""Migration 0011 moves each case's life-area assessments into rows of their own: every stored document, odd ones
included, reads back through ``record_documents`` exactly as it was, and a server of the release before (which
reads and writes ``records.document``) fails instead of writing a document that would hide or lose those rows."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from test_server_migrations import migrate_below

from sync.server.db import connect, migrate
from sync.server.pgcluster import PgCluster


def _area(area_id: str, text: str) -> dict[str, Any]:
    return {"area_id": area_id, "own_description": text, "sub_areas": [{"code": f"{area_id}50", "text": text}]}


DOCUMENTS: dict[tuple[str, str], Any] = {
    ("case", "usual"): {"id": "usual", "origin_note": "x", "investigation": {
        "situation": "Bor ensam", "assessments": [_area("d4", "ett"), _area("d1", "två"), _area("d7", "tre")]}},
    ("case", "odd-elements"): {"investigation": {"assessments": [
        _area("d2", "a"), _area("d2", "b"), "ingen nyckel", {"id": "", "area_id": "d5"}, {"code": "c1"}, None]}},
    ("case", "empty-list"): {"investigation": {"assessments": [], "situation": ""}},
    ("case", "no-list"): {"investigation": {"situation": "utan lista"}},
    ("case", "not-a-list"): {"investigation": {"assessments": {"d4": _area("d4", "fel form")}}},
    ("case", "no-investigation"): {"origin_note": "ny"},
    ("case", "investigation-not-an-object"): {"investigation": ["d4"]},
    ("person", "p1"): {"id": "p1", "given_name": "Greta", "assessments": [_area("d4", "inte en utredning")]},
}


@pytest.fixture()
def url_at_0010(pg_cluster: PgCluster) -> Iterator[str]:
    """A database migrated up to 0010 holding the documents above; dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = pg_cluster.create_database(name)
    migrate_below(url, 11)
    with connect(url) as conn:
        for (record_type, record_id), document in DOCUMENTS.items():
            conn.execute("INSERT INTO records (record_type, record_id, version, document) VALUES (%s, %s, 3, %s)",
                         (record_type, record_id, json.dumps(document)))
    yield url
    pg_cluster.drop_database(name)


def test_every_document_reads_back_as_it_was_stored(url_at_0010: str) -> None:
    assert migrate(url_at_0010)[0] == 11  # and those after it
    with connect(url_at_0010) as conn:
        stored = {(r["record_type"], r["record_id"]): r["document"] for r in conn.execute(
            "SELECT record_type, record_id, document FROM record_documents")}
        rows = conn.execute("SELECT record_id, area_key FROM record_assessments ORDER BY record_id, position")
        moved = [(r["record_id"], r["area_key"]) for r in rows]
        rests = {r["record_id"]: r["rest"] for r in conn.execute(
            "SELECT record_id, document_rest #> '{investigation,assessments}' AS rest FROM records")}

    assert stored == DOCUMENTS
    assert moved == [("odd-elements", "d2"), ("odd-elements", "d2"), ("odd-elements", None),
                     ("odd-elements", "d5"), ("odd-elements", "c1"), ("odd-elements", None),
                     ("usual", "d4"), ("usual", "d1"), ("usual", "d7")]
    assert rests["usual"] == rests["odd-elements"] == rests["empty-list"] == []
    assert rests["not-a-list"] == {"d4": _area("d4", "fel form")} and rests["no-list"] is None


def test_a_server_of_the_release_before_cannot_write_a_document(url_at_0010: str) -> None:
    migrate(url_at_0010)
    with connect(url_at_0010) as conn, pytest.raises(psycopg.errors.UndefinedColumn):
        # The release before's push wrote the touched entries over the stored document (its _WRITE).
        conn.execute("UPDATE records r SET document = r.document || %s::jsonb WHERE record_id = 'usual'",
                     (json.dumps({"investigation": {"assessments": [_area("d4", "gammal server")]}}),))


def test_the_view_returns_each_document_as_the_same_text(pg_cluster: PgCluster) -> None:
    """Byte for byte, not only JSON-equal: a huge case (TOASTed), text holding an escaped U+0000 and other odd
    characters, keys that sort differently by length and by bytes, read as text before and after the migration."""
    odd = "\\u0000 \u2028 \" \\ åäö \U0001f600 \t"
    documents = {
        "huge": {"investigation": {"assessments": [_area(f"d{n}", "x" * 200_000) for n in range(12)],
                                   "situation": odd}, "b": 1, "aa": [None, {"z": 1, "y": [2.50, 1e30]}]},
        "odd-text": {"investigation": {"assessments": [_area("d1", odd), {"code": odd, "n": -0.0}], "zz": {}}},
    }
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = pg_cluster.create_database(name)
    try:
        migrate_below(url, 11)
        with connect(url) as conn:
            for record_id, document in documents.items():
                conn.execute("INSERT INTO records (record_type, record_id, version, document) VALUES ('case', %s, 1,"
                             " %s)", (record_id, json.dumps(document)))
            before = {r["record_id"]: r["text"] for r in conn.execute(
                "SELECT record_id, document::text AS text FROM records")}
        migrate(url)
        with connect(url) as conn:
            after = {r["record_id"]: r["text"] for r in conn.execute(
                "SELECT record_id, document::text AS text FROM record_documents")}
            moved = conn.execute("SELECT count(*) AS n FROM record_assessments").fetchone()
    finally:
        pg_cluster.drop_database(name)
    assert after == before
    assert moved is not None and moved["n"] == 14
