"""``StrictJsonRoute`` reads a route's query and header parameters from what FastAPI lists on its ``Dependant``
through the ``strict_json.Parameter`` protocol (``alias`` and ``field_info``), not FastAPI's private
``fastapi._compat.ModelField``. This test fails loudly if a FastAPI upgrade changes what those objects give: over
HTTP, every query parameter the served OpenAPI document shows is taken by its route (a well-written value reaches the
credential check, 401), one written against its type's notation is refused naming it, and a name the document does
not show is refused. Were the adapter to read the wrong names, a sound query would be refused as "not a parameter
of this endpoint"; were it to read the wrong types, ``from=1704067200`` would be read as a Unix time again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sync_support import ThreadServer, new_config

# A query value written against each documented type's notation, and the message naming the notation.
MISWRITTEN = {("integer", None): ("1_0", "decimal digits"), ("number", None): ("1_0", "a decimal number"),
              ("string", "date"): ("1704067200", "YYYY-MM-DD")}
WELL_WRITTEN = {("integer", None): "1", ("number", None): "1.5", ("string", "date"): "2026-01-01",
                ("boolean", None): "true"}
PATH_VALUES = {"record_type": "case", "report": "checklist"}


@pytest.fixture()
def served(database_url: str) -> Iterator[tuple[str, dict[str, Any]]]:
    config = new_config(database_url)
    server = ThreadServer(config).start()
    try:
        base_url = f"http://127.0.0.1:{config.port}"
        yield base_url, httpx.get(f"{base_url}/openapi.json", timeout=30).json()
    finally:
        server.stop()


def _kind(schema: dict[str, Any]) -> tuple[str, str | None]:
    """The documented type of a query parameter (``int | None`` as integer)."""
    kinds = [kind for kind in schema.get("anyOf", [schema]) if kind.get("type") != "null"]
    assert len(kinds) == 1, schema
    return kinds[0]["type"], kinds[0].get("format")


def _well_written(schema: dict[str, Any]) -> str:
    return WELL_WRITTEN.get(_kind(schema)) or str(schema.get("enum", ["text"])[0])


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            parameters = operation.get("parameters", [])
            url = path.format(**{p["name"]: PATH_VALUES.get(p["name"], "x") for p in parameters if p["in"] == "path"})
            yield method, url, parameters


def _ask(base_url: str, method: str, url: str, query: dict[str, str]) -> httpx.Response:
    # A credential the server does not know: a query is judged before it, so a name or value refused is told first.
    # A POST's body as short as its route takes (the pull's every field has a default): judged after the query.
    return httpx.request(method, f"{base_url}{url}", params=query, headers={"Authorization": "Bearer not-a-token"},
                         json={} if method == "post" else None, timeout=30)


def test_every_documented_query_parameter_is_taken_and_judged_by_its_documented_type(
    served: tuple[str, dict[str, Any]]
) -> None:
    base_url, document = served
    judged = 0
    for method, url, parameters in _operations(document):
        if "authorization" not in {p["name"].lower() for p in parameters if p["in"] == "header"}:
            continue  # /health, /v1/enroll, /v1/token: no credential to stop at
        unknown = _ask(base_url, method, url, {"not_documented": "1"})
        assert unknown.status_code == 422, (method, url, unknown.text)
        assert unknown.json()["details"] == ["query/not_documented: not a parameter of this endpoint"]
        queries = [p for p in parameters if p["in"] == "query"]
        required = {p["name"]: _well_written(p["schema"]) for p in queries if p.get("required")}
        for parameter in queries:
            name, schema = parameter["name"], parameter["schema"]
            taken = _ask(base_url, method, url, {**required, name: _well_written(schema)})
            assert taken.status_code == 401, (method, url, name, taken.text)
            if _kind(schema) in MISWRITTEN:
                value, notation = MISWRITTEN[_kind(schema)]
                refused = _ask(base_url, method, url, {**required, name: value})
                assert refused.status_code == 422, (method, url, name, refused.text)
                assert refused.json()["details"] == [f"query/{name}: write it as {notation}"]
            judged += 1
    # The reports' from, to, format, threshold_hours, sample_size and seed (two routes), the feed's cursor and limit,
    # the audit head's through (s28-rrestore), the pull's authors and retiring (s29-restored).
    assert judged == 17
