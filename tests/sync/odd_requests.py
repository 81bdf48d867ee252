"""Odd but legal values for every route of the sync server (tests/sync/test_server_routes_odd_values.py): a valid
request per route, the places in it a value can be put, and what the answer and the database must show.

A value is put where the route reads one: a leaf of the JSON body (a string gets text PostgreSQL cannot hold, 1 MiB
of text, right-to-left text, emoji and combining marks; a day gets the first and last the calendar writes and a leap
day that is one and one that is not; a number gets 0, -1, 2**31, 2**63, 10**30, a float where an int goes and NaN as
a bare token; a list gets none or 10,000 items), a path parameter or a query parameter (odd, empty or repeated), or
the whole body (not an object, a key twice, a wrong Content-Type)."""

from __future__ import annotations

import contextlib
import copy
import json
import re
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
from sync_support import Device, Env

from ibic.cases import Case
from ibic.demo import demo_cases
from sync.server.dev import DEMO_UNIT, DEMO_USER, OTHER_UNIT
from sync.server.logs import SAFE_KEYS

SURROGATE = "\ud800"  # legal as the JSON escape "\ud800", not encodable as UTF-8 (so not storable in PostgreSQL)
RTL = "\u202eשלום 😀 e\u0301\u0308"
ODD_TEXTS: tuple[str, ...] = ("a\x00b", f"x{SURROGATE}y", "å" * (1 << 19), RTL, "", " ")  # "å" is 2 bytes: 1 MiB
ODD_DAYS = ("0001-01-01", "9999-12-31", "2024-02-29", "2025-02-29")
ODD_NUMBERS: tuple[Any, ...] = (0, -1, 2**31, 2**63, 10**30, 1.0, 1e308, float("nan"))
ODD_QUERY = ("", "a\x00", f"x{SURROGATE}", RTL, *ODD_DAYS, "0", "-1", str(2**31), str(2**63), str(10**30), "1.0",
             "1e308", "NaN", "inf")
ODD_PATH = ("a\x00b", f"x{SURROGATE}y", "å" * 4000, RTL, " ", ".", "..", "0", "-1", str(2**63), *ODD_DAYS)
ODD_BODIES = (b"[]", b'"x"', b"1", b"null", b"", b"NaN", b"[1, 2]")
MANY = 10_000
# Text sent that must never reach a log line (the log's allow-list keeps ids, counts and routes).
NEVER_LOGGED = ("שלום", "ååååå", "\\u0000", "\\ud800", "Tolvan", "191212121212")
LOG_KEYS = SAFE_KEYS | {"at", "level"}

Place = tuple[str | int, ...]  # where a value sits in a JSON document


def odd_values(value: Any) -> tuple[Any, ...]:
    """What may be put where ``value`` is."""
    if isinstance(value, bool):
        return (0, 1, "true", None)
    if isinstance(value, int | float):
        return ODD_NUMBERS
    if isinstance(value, str):
        return ODD_TEXTS + (ODD_DAYS if re.fullmatch(r"\d{4}-\d\d-\d\d", value) else ())
    if isinstance(value, list):
        return ([], [value[0] if value else 1] * MANY)
    if isinstance(value, dict):
        return ({}, [], "x", 1)
    return ("a\x00b", f"x{SURROGATE}y", 0)  # None: an optional value


def places(value: Any, at: Place = ()) -> Iterator[Place]:
    """Every place of a JSON value (the value itself first); of a list, its first two elements (a push's changes:
    every one, as each creates a field)."""
    yield at
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from places(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value if at == ("changes",) else value[:2]):
            yield from places(inner, (*at, index))


def at_place(document: Any, at: Place) -> Any:
    for key in at:
        document = document[key]
    return document


def put(document: Any, at: Place, value: Any) -> Any:
    if not at:
        return value
    changed = copy.deepcopy(document)
    at_place(changed, at[:-1])[at[-1]] = value
    return changed


def json_bytes(value: Any) -> bytes:
    """JSON as a client may send it: a lone surrogate as its escape, NaN as a bare token (both legal JSON text)."""
    return json.dumps(value, ensure_ascii=True).encode("ascii")


@dataclass
class Request:
    """One request of a route, before and after an odd value is put in it."""

    method: str
    route: str
    params: dict[str, str] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json"

    def send(self, base_url: str) -> httpx.Response:
        path = self.route
        for name, value in self.params.items():
            path = path.replace("{" + name + "}", urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe=""))
        query = "&".join(f"{urllib.parse.quote(k.encode('utf-8', 'surrogatepass'), safe='')}="
                         f"{urllib.parse.quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in self.query)
        content = self.raw if self.raw is not None else (None if self.body is None else json_bytes(self.body))
        headers = dict(self.headers)
        if content is not None:
            headers["content-type"] = self.content_type
        return httpx.request(self.method, f"{base_url}{path}{'?' + query if query else ''}", content=content,
                             headers=headers, timeout=120)


def _rich_documents() -> tuple[dict[str, Any], dict[str, Any]]:
    """A fictitious case holding every part the demo cases fill (decisions, follow-ups, assessments, consents...)
    and its person, to put odd values deep in a document."""
    people, cases = demo_cases(date(2026, 12, 1))
    documents = [c.model_dump(mode="json") for c in cases]
    rich = max(documents, key=lambda d: len(d["decisions"]))
    for other in documents:
        for key, value in other.items():
            if value and not rich.get(key):
                rich[key] = value
    Case.model_validate(rich)
    person = next(p for p in people if p.id == rich["person_id"]).model_dump(mode="json")
    return rich, person


RICH_CASE, RICH_PERSON = _rich_documents()


def new_pair() -> tuple[dict[str, Any], dict[str, Any]]:
    """The rich case and its person under new ids (a case number of their own)."""
    person_id, case_id = f"p{uuid.uuid4().hex}", f"c{uuid.uuid4().hex}"
    case = {**RICH_CASE, "id": case_id, "person_id": person_id, "case_number": f"N-{uuid.uuid4().hex[:10]}"}
    return case, {**RICH_PERSON, "id": person_id}


@dataclass
class Callers:
    """Who calls the routes: a handläggare's laptop, a reports reader's laptop and an integration key."""

    env: Env
    laptop: Device
    reader: Device
    integration_key: str
    case_id: str
    person_id: str
    decided_case: str
    decision: dict[str, Any]

    def device(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.laptop.token}"}

    def integration(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.integration_key}"}

    def version(self, record_type: str, record_id: str) -> int:
        return int(self.env.sql("SELECT version FROM records WHERE record_type = %s AND record_id = %s",
                                (record_type, record_id))[0]["version"])

    def audit_head(self) -> tuple[int, str]:
        head = httpx.get(f"{self.env.base_url}/v1/audit/head", headers=self.device(), timeout=30).json()
        return int(head["seq"]), head["hash"] or "0" * 64


def _push(c: Callers) -> Request:
    """Edits of a case the laptop holds (a text, a life area's texts, scale value, sub-area and a dated element,
    the whole life area) and the first save of a new case and its person."""
    version = c.version("case", c.case_id)
    document = httpx.get(f"{c.env.base_url}/v1/records/case/{c.case_id}", headers=c.device(),
                         timeout=30).json()["document"]
    area = document["investigation"]["assessments"][0]
    place = f"investigation/assessments/{area['area_id']}"
    edits = [("origin_note", "text"), (f"{place}/need", "Behov"), (f"{place}/qualifier", area["qualifier"]),
             (f"{place}/sub_areas/{area['sub_areas'][0]['code']}/text", "Går"), ("investigation/started_on",
                                                                                "2026-11-01"),
             (f"{place}/others/{area['others'][0]['id']}/recorded_on", "2026-11-29"), (place, area)]
    edit = [c.laptop.change(c.case_id, path, value, version) for path, value in edits]
    case, person = new_pair()
    creation = [c.laptop.change(person["id"], k, v, 0, record_type="person") for k, v in person.items()]
    creation += [c.laptop.change(case["id"], k, v, 0) for k, v in case.items()]
    return Request("POST", "/v1/push", body={"changes": [x.model_dump(mode="json") for x in [*edit, *creation]],
                                             "closing": False}, headers=c.device())


def _audit(c: Callers) -> Request:
    seq, head = c.audit_head()
    entry = {"seq": seq + 1, "entry_id": uuid.uuid4().hex, "at": "2026-12-06T10:00:00.000000+00:00",
             "user_id": c.laptop.user_id, "device_id": c.laptop.device_id, "action": "view", "case_id": c.case_id,
             "detail": "", "prev_hash": head, "hash": ""}
    return Request("POST", "/v1/audit", body={"entries": [entry]}, headers=c.device())


def _enroll(c: Callers) -> Request:
    return Request("POST", "/v1/enroll", body={"code": c.env.new_code(DEMO_USER), "device_id": uuid.uuid4().hex,
                                               "device_name": "Laptop", "user_id": DEMO_USER})


def _registration(c: Callers) -> Request:
    case, person = new_pair()
    return Request("POST", "/v1/integration/cases", headers=c.integration(),
                   body={"case": case, "person": person, "unit_id": DEMO_UNIT, "user_id": DEMO_USER})


def _field_write(c: Callers) -> Request:
    return Request("PATCH", "/v1/integration/records/{record_type}/{record_id}",
                   {"record_type": "person", "record_id": c.person_id}, headers=c.integration(),
                   body={"values": {"phone": "070-1234567", "address/street": "Gatan 1", "interpreter_needed": True}})


def _report(c: Callers, unit: bool) -> Request:
    query = [("from", "2026-01-01"), ("to", "2026-12-31"), ("format", "json"), ("threshold_hours", "100"),
             ("sample_size", "5"), ("seed", "3")]
    auth = {"Authorization": f"Bearer {c.reader.token}"}
    if unit:
        return Request("GET", "/v1/reports/units/{unit_id}/{report}", {"unit_id": DEMO_UNIT, "report": "all"},
                       query, headers=auth)
    return Request("GET", "/v1/reports/municipality/{report}", {"report": "checklist"}, query, headers=auth)


# One valid request per route of the app (method, path template), made anew for each use: a code is spent, a
# version moves on. A route the app serves and this table lacks fails the test (test_every_route_is_swept).
ROUTES: dict[tuple[str, str], Callable[[Callers], Request]] = {
    ("GET", "/health"): lambda c: Request("GET", "/health"),
    ("POST", "/v1/enroll"): _enroll,
    ("POST", "/v1/token"): lambda c: Request("POST", "/v1/token", body={
        "device_id": c.laptop.device_id, "device_credential": c.laptop.credential}),
    ("POST", "/v1/push"): _push,
    ("POST", "/v1/pull"): lambda c: Request("POST", "/v1/pull", body={"cursor": 0, "limit": 10, "case_id": c.case_id},
                                            headers=c.device()),
    ("POST", "/v1/audit"): _audit,
    ("GET", "/v1/audit/head"): lambda c: Request("GET", "/v1/audit/head", headers=c.device()),
    ("GET", "/v1/records/{record_type}/{record_id}"): lambda c: Request(
        "GET", "/v1/records/{record_type}/{record_id}", {"record_type": "case", "record_id": c.case_id},
        headers=c.device()),
    ("POST", "/v1/integration/cases"): _registration,
    ("PUT", "/v1/integration/cases/{case_id}/assignment"): lambda c: Request(
        "PUT", "/v1/integration/cases/{case_id}/assignment", {"case_id": c.decided_case}, headers=c.integration(),
        body={"unit_id": OTHER_UNIT, "user_id": None}),
    ("POST", "/v1/integration/cases/{case_id}/decisions"): lambda c: Request(
        "POST", "/v1/integration/cases/{case_id}/decisions", {"case_id": c.decided_case}, headers=c.integration(),
        body={**c.decision, "id": uuid.uuid4().hex}),
    ("GET", "/v1/integration/changes"): lambda c: Request(
        "GET", "/v1/integration/changes", query=[("cursor", "0"), ("limit", "10")], headers=c.integration()),
    ("GET", "/v1/integration/records/{record_type}/{record_id}"): lambda c: Request(
        "GET", "/v1/integration/records/{record_type}/{record_id}", {"record_type": "person",
                                                                     "record_id": c.person_id},
        headers=c.integration()),
    ("PATCH", "/v1/integration/records/{record_type}/{record_id}"): _field_write,
    ("GET", "/v1/reports/units/{unit_id}/{report}"): lambda c: _report(c, unit=True),
    ("GET", "/v1/reports/municipality/{report}"): lambda c: _report(c, unit=False),
}


def rehash_audit(request: Request) -> None:
    """An audit entry's hash over its (odd) content, so the value is checked for what it is, not refused as a
    broken chain."""
    from storage.audit import entry_hash

    entries = request.body.get("entries") if isinstance(request.body, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        with contextlib.suppress(KeyError, TypeError, ValueError):  # not an entry any more: refused for its shape
            entry["hash"] = entry_hash(entry["prev_hash"], entry["seq"], entry["entry_id"], entry["at"],
                                       entry["user_id"], entry["device_id"], entry["action"], entry["case_id"],
                                       entry["detail"])


FINGERPRINT = (
    "SELECT (SELECT count(*) FROM change_log) AS log, (SELECT count(*) FROM records) AS records,"
    " (SELECT count(*) FROM audit_entries) AS audit, (SELECT count(*) FROM devices) AS devices,"
    " (SELECT count(*) FROM case_access) AS access, (SELECT count(*) FROM case_withdrawals) AS withdrawals,"
    " (SELECT count(*) FROM enrollment_codes WHERE used_at IS NOT NULL) AS spent,"
    " (SELECT md5(string_agg(record_type || record_id || version || document::text, ',' ORDER BY record_type,"
    " record_id)) FROM record_documents) AS documents"
)


def fingerprint(env: Env) -> dict[str, Any]:
    """What a refused request must leave as it was."""
    return env.sql(FINGERPRINT)[0]


def stored_text(c: Callers, request: Request, at: Place, answer: httpx.Response) -> Any:
    """The text stored where ``at`` put it, read back through the routes; ``MISSING`` where the request did not
    store one (the op was rejected, or the place is not a stored text)."""
    body = request.body
    if request.route == "/v1/push" and len(at) >= 3 and at[2] == "value":
        result = answer.json()["results"][at[1]]
        if result["status"] != "applied":
            return MISSING
        change = body["changes"][at[1]]
        document = httpx.get(f"{c.env.base_url}/v1/records/{change['record_type']}/{change['record_id']}",
                             headers=c.device(), timeout=30).json()["document"]
        return _dig(document, (*change["path"].split("/"), *at[3:]))
    if request.route == "/v1/integration/cases" and at[0] in ("case", "person") and len(at) > 1:
        record_id = body[at[0]]["id"] if isinstance(body[at[0]], dict) else None
        if not isinstance(record_id, str):
            return MISSING
        document = httpx.get(f"{c.env.base_url}/v1/integration/records/{at[0]}/{record_id}",
                             headers=c.integration(), timeout=30).json()["document"]
        return _dig(document, at[1:])
    if request.method == "PATCH" and len(at) >= 2:
        document = httpx.get(f"{c.env.base_url}/v1/integration/records/person/{c.person_id}",
                             headers=c.integration(), timeout=30).json()["document"]
        return _dig(document, (*str(at[1]).split("/"), *at[2:]))
    return MISSING


MISSING = object()


def _dig(document: Any, at: Place) -> Any:
    for key in at:
        held = key in document if isinstance(document, dict) else (
            isinstance(document, list) and isinstance(key, int) and key < len(document))
        if held:
            document = document[key]
        else:
            return MISSING
    return document
