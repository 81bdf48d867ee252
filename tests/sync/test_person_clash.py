"""Issue 12: a person the laptop made and the central system's own record on the same personnummer. The pull does
not make a second person: the central record waits aside and a conflict shows both records side by side in the
conflict dialog (Swedish); the handläggare's choice leaves one person under the central record's id, the laptop's
case moved to it, and nothing of either record lost before the choice. Real server, real PostgreSQL, real profile."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTextBrowser, QTreeWidget
from sync_support import Env, make_laptop

from ibic.case_actions import new_case
from ibic.demo import demo_cases
from ibic.field_labels import field_label
from ibic.people import Person
from ibic.reference import load_reference_data
from ibic.vocabulary import Applicant, CaseOrigin
from sync.server import integrations
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER
from ui.sync.conflict_dialog import ConflictDialog
from ui.sync.controller import SyncController
from ui.sync.status_widget import SyncStatusWidget

NUMBER = "201701012393"  # a known test personnummer, held by no demo person
TODAY = date(2026, 11, 23)


@pytest.fixture
def swedish(qapp: Any) -> Any:
    from ui.i18n import install_language

    install_language("sv")
    yield qapp
    install_language("en")


def _laptop_person_with_a_case(profile: Any) -> tuple[Person, str]:
    person = Person(given_name="Tolva", family_name="Laptopsdotter", personal_number="20170101-2393",
                    phone="070-111 11 11")
    profile.people.save_new(person)
    case = new_case(person, origin=CaseOrigin.PHONE_CALL, applicant=Applicant.PERSON, opened_on=TODAY,
                    caseworker=DEMO_USER, unit=DEMO_UNIT)
    profile.cases.save(case)
    return person, case.id


def _central_registers(env: Env) -> tuple[str, str]:
    """The case-management system registers its own case and person on the same number (another person id)."""
    with connect(env.database_url) as conn:
        key = integrations.create_integration(conn, "lifecare", "Verksamhetssystemet")
    _, cases = demo_cases(TODAY)
    case = next(c for c in cases if not c.decisions).model_dump(mode="json")
    person = {"id": uuid.uuid4().hex, "given_name": "Tolva", "family_name": "Centralsdotter",
              "personal_number": "20170101-2393", "address": {"street": "Storgatan 1", "postal_code": "123 45",
                                                              "city": "Hemby"}}
    case.update(id=uuid.uuid4().hex, person_id=person["id"], decisions=[], decision_statuses=[])
    answer = httpx.post(f"{env.base_url}/v1/integration/cases", headers={"Authorization": f"Bearer {key}"},
                        json={"case": case, "person": person, "unit_id": DEMO_UNIT, "user_id": DEMO_USER}, timeout=30)
    assert answer.status_code == 201, answer.text
    return person["id"], case["id"]


def _people_on(profile: Any) -> list[str]:
    return [known.person_id for known in profile.people.find(NUMBER)]


@pytest.mark.parametrize("choice", ["takeTheirsButton", "keepMineButton"])
def test_a_pulled_person_on_a_number_held_here_is_a_conflict_and_the_choice_leaves_one_person(
    env: Env, tmp_path: Path, qtbot: Any, swedish: Any, choice: str
) -> None:
    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    laptop.sync()
    mine, my_case = _laptop_person_with_a_case(laptop.profile)
    central_id, central_case = _central_registers(env)
    laptop.sync()

    assert _people_on(laptop.profile) == [mine.id]  # no second person on the number
    [conflict] = laptop.profile.sync.conflicts()
    assert (conflict.record_type, conflict.record_id) == ("person_clash", central_id)
    assert conflict.local_value["family_name"] == "Laptopsdotter"
    assert conflict.server_value["family_name"] == "Centralsdotter"  # nothing lost: the central record waits
    assert [(r.record_id, r.reason) for r in laptop.profile.sync.quarantined()] == [
        (central_id, "person_number_held")]
    laptop.sync()  # tried again at every sync: still one conflict, still one person, nothing applied twice
    assert len(laptop.profile.sync.conflicts()) == 1 and _people_on(laptop.profile) == [mine.id]

    widget = SyncStatusWidget()  # the status bar, driven by the real controller over this profile
    qtbot.addWidget(widget)
    controller = SyncController(laptop.profile, lambda: laptop.session)
    controller.status_changed.connect(widget.set_status)
    controller.refresh_counts()
    assert widget.status.conflicts == 1
    assert "samma personnummer" in widget.findChild(QLabel, "syncNotReceivedLabel").text()

    ref = load_reference_data()
    dialog = ConflictDialog(laptop.profile.sync.conflicts(), laptop.profile.sync.resolve_conflict,
                            field_label=lambda path: field_label(path, ref, "sv"))  # as ui/window_sync.py does
    qtbot.addWidget(dialog)
    dialog.show()
    tree = dialog.findChild(QTreeWidget, "conflictList")
    assert tree.topLevelItem(0).text(0) == "Ett personnummer, två personposter"
    shown = {name: dialog.findChild(QTextBrowser, name).toPlainText()
             for name in ("conflictBase", "conflictMine", "conflictTheirs")}
    assert "Verksamhetssystemet har en egen personpost" in shown["conflictBase"]
    assert "Efternamn: Laptopsdotter" in shown["conflictMine"] and "Telefon: 070-111 11 11" in shown["conflictMine"]
    assert "Efternamn: Centralsdotter" in shown["conflictTheirs"]
    assert "Storgatan 1, 123 45, Hemby" in shown["conflictTheirs"]
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.findChild(QPushButton, choice), Qt.MouseButton.LeftButton)

    assert _people_on(laptop.profile) == [central_id]
    assert laptop.profile.cases.load(my_case).person_id == central_id
    assert laptop.profile.cases.load(central_case).person_id == central_id
    assert laptop.profile.sync.conflicts() == [] and laptop.profile.sync.quarantined() == []
    laptop.sync()
    person = laptop.profile.people.load(central_id)
    expected = "Laptopsdotter" if choice == "keepMineButton" else "Centralsdotter"
    assert person.family_name == expected
    assert person.address is not None and person.address.street == "Storgatan 1"
    server = env.sql("SELECT document FROM record_documents WHERE record_type = 'person' AND record_id = %s",
                     (central_id,))
    assert server[0]["document"]["family_name"] == expected
    assert _people_on(laptop.profile) == [central_id]
    assert laptop.profile.cases.load(my_case).person_id == central_id
    # The server moved the laptop's case too (same personnummer on both records: a duplicate merged).
    cases = env.sql("SELECT document FROM record_documents WHERE record_type = 'case' AND record_id = %s", (my_case,))
    assert cases[0]["document"]["person_id"] == central_id
    access = env.sql("SELECT person_id FROM case_access WHERE case_id = %s", (my_case,))
    assert access[0]["person_id"] == central_id
    assert laptop.profile.journal.pending_count() == 0 and not laptop.sync().rejected
