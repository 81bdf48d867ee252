"""One poison record never stops sync (issue 11, finding 2), on a real server and PostgreSQL.

Far dates and huge texts from the central system are refused at the HTTP door with the field named (never the
value); a record an older server stored anyway is set aside on the laptop: the rest arrives, the cursor moves, the
status bar says why in Swedish, the server gets an audit entry without personal data, and the record arrives at the
first sync after it is fixed.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any
from unittest.mock import patch

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from sync_support import Env, make_laptop, version_of

from ibic.cases import Case
from ibic.demo import demo_cases
from ibic.field_ownership import CENTRAL_WRITABLE
from ibic.people import Person
from storage.errors import RecordNotFound
from sync.server import central, integrations, push_checks
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER
from ui.sync.status_widget import SyncStatusWidget

TODAY = date(2026, 11, 23)
FAR = "9999-12-31"


def _key(env: Env) -> str:
    with connect(env.database_url) as conn:
        return integrations.create_integration(conn, "lifecare", "Verksamhetssystemet")


def _call(env: Env, key: str, method: str, path: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, f"{env.base_url}/v1/integration{path}", json=body,
                         headers={"Authorization": f"Bearer {key}"}, timeout=30)


def _new_case() -> tuple[dict[str, Any], dict[str, Any]]:
    """A fictitious demo case without decisions and its person, under fresh ids."""
    people, cases = demo_cases(TODAY)
    case = next(c for c in cases if not c.decisions)
    person = next(p for p in people if p.id == case.person_id).model_dump(mode="json")
    person["id"] = uuid.uuid4().hex
    document = case.model_dump(mode="json")
    document.update(id=uuid.uuid4().hex, person_id=person["id"], decision_statuses=[])
    return document, person


def _register(env: Env, key: str, case: dict[str, Any], person: dict[str, Any]) -> httpx.Response:
    return _call(env, key, "POST", "/cases", {"case": case, "person": person, "unit_id": DEMO_UNIT,
                                              "user_id": DEMO_USER})


@pytest.mark.parametrize(("part", "field"), [("application", "received_on"), ("communication", "done_on")])
def test_a_far_date_registered_centrally_is_a_422_naming_the_field_and_nothing_is_stored(
    env: Env, part: str, field: str
) -> None:
    key = _key(env)
    case, person = _new_case()
    case[part][field] = FAR
    if part == "communication":
        case[part]["reply_by"] = None
    before = env.stored_counts()
    answer = _register(env, key, case, person)
    assert answer.status_code == 422, answer.text  # was 201, and every later pull failed
    body = answer.json()
    assert body["error"] == "invalid_document"
    assert f"{part}/{field}" in body["message"] and "9999" not in body["message"]
    assert env.stored_counts() == before


def test_a_one_megabyte_phone_number_through_the_patch_is_a_422_and_not_stored(env: Env) -> None:
    key = _key(env)
    case, person = _new_case()
    assert _register(env, key, case, person).status_code == 201
    version = version_of(env, "person", person["id"])
    answer = _call(env, key, "PATCH", f"/records/person/{person['id']}", {"values": {"phone": "0" * 1_000_000}})
    assert answer.status_code == 422, answer.text[:300]  # was 200: stored
    assert "phone" in answer.json()["message"] and "000000" not in answer.json()["message"]
    assert version_of(env, "person", person["id"]) == version
    stored = env.sql("SELECT document->>'phone' AS phone FROM record_documents WHERE record_id = %s", (person["id"],))
    assert stored[0]["phone"] == person["phone"]


def _older_server_write(env: Env, case_id: str, values: dict[str, Any]) -> None:
    """What an older server (no date range) stored: a central write without today's document and push checks."""
    with connect(env.database_url) as conn, patch.object(push_checks, "op_problem", lambda *_: ""):
        central.central_write(conn, DEMO_UNIT, "case", case_id, values)


def test_a_record_the_laptop_cannot_apply_is_set_aside_and_arrives_once_fixed(
    env: Env, tmp_path: Path, qtbot: Any, swedish_ui: None
) -> None:
    from ui.sync.controller import SyncController

    key = _key(env)
    poison, poison_person = _new_case()
    good, good_person = _new_case()
    assert _register(env, key, poison, poison_person).status_code == 201
    _older_server_write(env, poison["id"], {"application/received_on": FAR})
    assert _register(env, key, good, good_person).status_code == 201
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    controller = SyncController(laptop.profile, lambda: laptop.session, parent=widget)  # deleted on this thread
    controller.status_changed.connect(widget.set_status)
    widget.sync_requested.connect(controller.sync_now)

    with qtbot.waitSignal(controller.sync_finished, timeout=60_000) as finished:
        qtbot.mouseClick(widget.findChild(QPushButton, "syncNowButton"), Qt.MouseButton.LeftButton)
    report = finished.args[0]
    assert report.not_received == [("case", "date_out_of_range")]
    # The rest arrived (the other case, the poison case's person) and the cursor reached the server's end.
    assert laptop.profile.cases.load(good["id"]).person_id == good_person["id"]
    assert laptop.profile.people.load(poison_person["id"]).id == poison_person["id"]
    top = env.sql("SELECT max(seq) AS top FROM change_log")[0]["top"]
    assert laptop.profile.sync.cursor() == top
    with pytest.raises(RecordNotFound):
        laptop.profile.cases.load(poison["id"])
    label = widget.findChild(QLabel, "syncNotReceivedLabel")
    assert label.isVisibleTo(widget)
    aside_text = ("1 ärende kunde inte tas emot: ett datum ligger utanför 1900-01-01–2099-12-31. "
                  "Hämtas på nytt vid varje synkronisering.")
    assert label.text() == aside_text
    # The next unlock (a new controller, no sync yet) still says so: the count is read from the profile.
    reopened = SyncStatusWidget()
    qtbot.addWidget(reopened)
    reopened.set_status(SyncController(laptop.profile, lambda: laptop.session).status)
    assert reopened.findChild(QLabel, "syncNotReceivedLabel").text() == aside_text
    # The server knows, without personal data: a reason code and the record id.
    entries = env.sql("SELECT case_id, detail FROM audit_entries WHERE action = 'sync_record_set_aside'")
    assert len(entries) == 1 and entries[0]["case_id"] == poison["id"]
    assert "date_out_of_range" in entries[0]["detail"]
    assert poison_person["family_name"] not in entries[0]["detail"]
    assert poison_person["personal_number"][:6] not in entries[0]["detail"]

    # A second sync with the cause still there changes nothing and tells the server nothing new.
    assert laptop.sync().not_received == [("case", "date_out_of_range")]
    assert len(env.sql("SELECT 1 FROM audit_entries WHERE action = 'sync_record_set_aside'")) == 1

    _older_server_write(env, poison["id"], {"application/received_on": "2026-11-01"})
    with qtbot.waitSignal(controller.sync_finished, timeout=60_000) as finished:
        qtbot.mouseClick(widget.findChild(QPushButton, "syncNowButton"), Qt.MouseButton.LeftButton)
    assert finished.args[0].not_received == []
    arrived = laptop.profile.cases.load(poison["id"])
    assert arrived.application.received_on == date(2026, 11, 1)
    assert arrived.model_dump(mode="json") == _server_document(env, poison["id"])
    assert laptop.profile.sync.quarantined() == []
    assert not widget.findChild(QLabel, "syncNotReceivedLabel").isVisibleTo(widget)


def _server_document(env: Env, case_id: str) -> dict[str, Any]:
    return dict(env.sql("SELECT document FROM record_documents WHERE record_type = 'case' AND record_id = %s",
                        (case_id,))[0]["document"])


# --- Extreme values on every field the central system may write, then a real laptop sync -------------------------

_TEXTS = st.sampled_from(["\x00", "före\x00efter", "x" * 300_000, "é" * 5_000, "", " ", "\ufeff\u202e", "𝔘"]) | st.text(
    max_size=40)
_NUMBERS = st.sampled_from([2**63, -(2**63) - 1, 10**30, -1, 0])
_DATES = st.sampled_from(["9999-12-31", "0001-01-01", "1899-12-31", "2100-01-01", "1900-01-01", "2099-12-31"]) | (
    st.dates().map(date.isoformat))
_VALUES = _TEXTS | _NUMBERS | _DATES | st.none() | st.booleans() | st.lists(_TEXTS | _NUMBERS, max_size=2) | (
    st.dictionaries(st.sampled_from(["street", "id", "kind", "name", "on", "x"]), _TEXTS | _DATES, max_size=3))


def _paths(record_type: str) -> list[str]:
    """Every top-level field the central system writes, and one level below where the field is an object."""
    nested = {"address": ["street", "postal_code", "city", "care_of"]}
    out: list[str] = []
    for field in sorted(CENTRAL_WRITABLE[record_type]):
        out.append(field)
        out.extend(f"{field}/{sub}" for sub in nested.get(field, []))
    return out


def test_extreme_values_from_the_central_system_are_refused_or_received_and_sync_never_stops(
    env: Env, tmp_path: Path
) -> None:
    key = _key(env)
    case, person = _new_case()
    assert _register(env, key, case, person).status_code == 201
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    ids = {"case": case["id"], "person": person["id"]}
    targets = [(t, p) for t in ("case", "person") for p in _paths(t)]
    seen: dict[int, int] = {}

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(target=st.sampled_from(targets), value=_VALUES, registered=st.booleans(), far=_DATES)
    # One call the central system is always allowed and one it is always refused, whatever else is drawn: 30 drawn
    # calls were now and then all refused (the final check then failed with {422: 30}).
    @example(target=("person", "phone"), value=None, registered=True, far="2026-11-02")
    @example(target=("person", "interpreter_needed"), value="före\x00efter", registered=False, far="2026-11-02")
    # Drawn about one run in eight: looked up as a person id before it was screened, a 500 (psycopg DataError).
    @example(target=("case", "person_id"), value="\x00", registered=False, far="2026-11-02")
    def one(target: tuple[str, str], value: Any, registered: bool, far: str) -> None:
        record_type, path = target
        if registered:  # a whole registration with a date the central system chose, as in an export
            new_case, new_person = _new_case()
            new_case["application"]["received_on"] = far
            answer = _register(env, key, new_case, new_person)
        else:
            answer = _call(env, key, "PATCH", f"/records/{record_type}/{ids[record_type]}", {"values": {path: value}})
        assert answer.status_code < 500, answer.text[:300]
        assert answer.status_code in (200, 201) or answer.json()["message"], answer.text[:300]
        seen[answer.status_code] = seen.get(answer.status_code, 0) + 1
        report = laptop.sync()  # never raises: what cannot be applied waits in the quarantine
        assert laptop.profile.sync.cursor() == env.sql("SELECT max(seq) AS top FROM change_log")[0]["top"]
        held = {r.record_id for r in laptop.profile.sync.quarantined()}
        assert len(report.not_received) == len(held)
        for record_type_, record_id in ids.items():
            if record_id not in held:
                repository = laptop.profile.cases if record_type_ == "case" else laptop.profile.people
                stored = env.sql("SELECT document FROM record_documents WHERE record_type = %s AND record_id = %s",
                                 (record_type_, record_id))[0]["document"]
                # The server's document as the record's model reads it: an object the central system wrote empty
                # (address = {}) is the same address as one with its sub-fields empty, which the laptop holds.
                model = Case if record_type_ == "case" else Person
                expected = model.model_validate_json(json.dumps(stored)).model_dump(mode="json")
                assert repository.load(record_id).model_dump(mode="json") == expected

    one()
    assert any(status >= 400 for status in seen) and any(status < 300 for status in seen), seen
