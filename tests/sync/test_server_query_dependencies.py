"""A route's allowed query names come from its whole dependency tree. ``StrictJsonRoute`` took them from the route's
own parameters only, so a route that gained a ``Depends`` taking a query parameter refused that parameter as "not a
parameter of this endpoint" (422), and a credential taken in a dependency was not seen: a query was judged before
the 401. Both fail on main; here they are answered as the route's own parameters are."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, Header, Query
from pydantic import BaseModel
from sync_support import ThreadServer, new_config

from sync.server.app import create_app
from sync.server.errors import NotAuthenticated

INVALID = {"protocol": 1, "error": "invalid_request", "message": "The request does not match the sync protocol."}


class Window(BaseModel):
    """Query parameters taken as one model (``Query()`` on a pydantic model)."""

    since: int = 0


def caller(authorization: str | None = Header(default=None)) -> str:
    if authorization != "Bearer letmein":
        raise NotAuthenticated("missing or invalid credential")
    return "caller"


def page(number: int = Query(1, alias="page", ge=1), size: int = Query(50, ge=1, le=500)) -> tuple[int, int]:
    return number, size


def paging(first: Annotated[tuple[int, int], Depends(page)], order: str = Query("asc")) -> dict[str, object]:
    """A dependency under a dependency: its own query name and its sub-dependency's."""
    return {"page": first[0], "size": first[1], "order": order}


@pytest.fixture()
def base_url(database_url: str) -> Iterator[str]:
    """The real app (StrictJsonRoute on every route) with one route whose parameters all come from dependencies."""
    config = new_config(database_url)
    app = create_app(config)

    @app.get("/v1/paged")
    def paged(paged: Annotated[dict[str, object], Depends(paging)], _who: Annotated[str, Depends(caller)],
              window: Annotated[Window, Query()]) -> dict[str, object]:
        return {**paged, "since": window.since}

    server = ThreadServer(config, app).start()
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.stop()


def get(base_url: str, query: str, credential: bool = True) -> httpx.Response:
    headers = {"Authorization": "Bearer letmein"} if credential else {}
    return httpx.get(f"{base_url}/v1/paged?{query}", headers=headers, timeout=30)


def test_query_names_a_dependency_takes_are_read(base_url: str) -> None:
    answer = get(base_url, "page=2&size=3&order=desc&since=9")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"page": 2, "size": 3, "order": "desc", "since": 9}


@pytest.mark.parametrize(("query", "detail"), [
    ("page=2&page=3", "query/page: given twice"),
    ("number=2", "query/number: not a parameter of this endpoint"),  # the alias is the name, not the argument
    ("sice=9", "query/sice: not a parameter of this endpoint"),
])
def test_a_dependency_s_query_given_twice_or_misspelt_is_still_refused(base_url: str, query: str, detail: str) -> None:
    answer = get(base_url, query)
    assert answer.status_code == 422, answer.text
    assert answer.json() == {**INVALID, "details": [detail]}


def test_a_credential_taken_in_a_dependency_is_asked_for_before_the_query_is_judged(base_url: str) -> None:
    answer = get(base_url, "pgae=2", credential=False)
    assert answer.status_code == 401, answer.text
    assert answer.json()["error"] == "not_authenticated"
