"""The whole home visit by keyboard: create profile → unlock → new case → consents → visit → every life area
→ proposal → completeness clean; then reopen the profile from disk and find every word typed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import CASEWORKER, PASSPHRASE, type_text

from ibic.reference import load_reference_data
from storage.profile import unlock_profile

FILLED_AREAS = {"d4", "d5", "d6", "b1528A"}


def _press(qtbot, widget, key=Qt.Key.Key_Space, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, key, modifier)


def _create_profile(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    panel = window.unlock_panel
    assert panel.name_edit.isVisible(), "a fresh profile folder starts in create mode"
    type_text(panel.name_edit, CASEWORKER)
    type_text(panel.passphrase_edit, PASSPHRASE)
    type_text(panel.confirm_edit, PASSPHRASE)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        _press(qtbot, panel.confirm_edit, Qt.Key.Key_Return)


def _new_case(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "newCaseDialog"
        type_text(dialog.given_name, "Tolvan")
        type_text(dialog.family_name, "Tolvansson")
        type_text(dialog.personal_number, "19121212-1212")
        type_text(dialog.sex, "M")
        _press(qtbot, dialog.opened_on.edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill)
    _press(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace is not None
    # The window manager gives focus back to the main window when the dialog closes; offscreen we ask for it.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _case_step(qtbot, page, today: date) -> None:  # type: ignore[no-untyped-def]
    type_text(page.received_on.edit, today.isoformat())
    consents = page.consents
    type_text(consents.recipient, "Anh")  # Anhörig
    type_text(consents.recipient_name, "Dottern Tova")
    type_text(consents.scope, "samtyckesordet")
    _press(qtbot, consents.add_button)
    assert consents.listing.count() == 1
    type_text(page.item_words, "städordet: jag orkar inte städa")
    _press(qtbot, page.items.add_button)
    type_text(page.item_insats, "Trygg")
    type_text(page.item_words, "larmordet: jag vill kunna larma")
    _press(qtbot, page.items.add_button)
    assert page.items.listing.count() == 2


def _visit_step(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    workspace.navigator.setFocus()
    _press(qtbot, workspace.navigator, Qt.Key.Key_Down)
    page = workspace.visit_page
    assert workspace.pages.currentWidget() is page
    type_text(page.participants, "Tolvan Tolvansson – den enskilde")
    _press(qtbot, page.visits.add_button)
    type_text(page.situation, "situationsordet bor ensam")


def _areas_step(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    _press(qtbot, workspace.navigator, Qt.Key.Key_Down)
    form = workspace.area_form
    ref = load_reference_data()
    for index, area in enumerate(ref.life_areas):
        assert form.heading.text() == area.label_sv
        if area.id in FILLED_AREAS:
            type_text(form.own, f"egen{area.id} beskrivning")
            _press(qtbot, form.scale_group.button(2))
            type_text(form.assessment, f"bedömning{area.id}")
            type_text(form.need, f"behov{area.id}")
            type_text(form.goal, f"mål{area.id}")
            if area.id == "d4":
                type_text(form.others.source_name, "Dottern Tova")
                type_text(form.others.text, "andrasordet ramlat två gånger")
                _press(qtbot, form.others.add_button)
        else:
            _press(qtbot, form, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
            assert form.not_relevant.isChecked(), area.id
        if index < len(ref.life_areas) - 1:
            _press(qtbot, form, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)


def _proposal_step(qtbot, workspace, today: date) -> None:  # type: ignore[no-untyped-def]
    workspace.navigator.setFocus()
    _press(qtbot, workspace.navigator, Qt.Key.Key_End)  # 6. Uppföljning
    _press(qtbot, workspace.navigator, Qt.Key.Key_Up)  # 5. Kontroll
    _press(qtbot, workspace.navigator, Qt.Key.Key_Up)  # 4. Bedömning och förslag till beslut
    page = workspace.proposal_page
    assert workspace.pages.currentWidget() is page
    assert len(page.editors) == 2
    for editor in page.editors:
        type_text(editor.need_exists, "behovsordet finns")
        type_text(editor.outcome, "B")  # Bifall
        type_text(editor.amount, "8,5")
        type_text(editor.starts_on.edit, today.isoformat())
        type_text(editor.motivation, "motiveringsordet klarspråk")
    serviceinsatser = page.editors[0]
    type_text(serviceinsatser.ends_on.edit, (today + timedelta(days=180)).isoformat())
    type_text(page.communicated_on.edit, today.isoformat())
    type_text(page.method, "V")  # Vid hembesök
    type_text(page.with_whom, "Den enskilde")


def test_whole_home_visit_by_keyboard_is_complete_and_survives_reopening(qtbot, window, profile_dir: Path):  # type: ignore[no-untyped-def]
    today = date.today()
    _create_profile(qtbot, window)
    _new_case(qtbot, window)
    workspace = window.workspace
    _case_step(qtbot, workspace.case_page, today)
    _visit_step(qtbot, workspace)
    _areas_step(qtbot, workspace)
    _proposal_step(qtbot, workspace, today)
    _press(qtbot, workspace.navigator, Qt.Key.Key_Down)
    assert workspace.pages.currentWidget() is workspace.check_page
    findings = [workspace.check_page.listing.item(i).text() for i in range(workspace.check_page.listing.count())]
    assert findings == []
    assert "Inget saknas" in workspace.check_page.summary.text()
    case_id = workspace.opened.case.id
    window.close()

    profile = unlock_profile(profile_dir, PASSPHRASE)
    try:
        stored = profile.cases.load(case_id).model_dump_json()
        person = profile.people.load(profile.cases.load(case_id).person_id)
    finally:
        profile.lock()
    assert person.personal_number == "191212121212"
    words = [
        "samtyckesordet",
        "städordet",
        "larmordet",
        "situationsordet",
        "andrasordet",
        "behovsordet",
        "motiveringsordet",
        *(f"egen{a}" for a in FILLED_AREAS),
        *(f"bedömning{a}" for a in FILLED_AREAS),
        *(f"behov{a}" for a in FILLED_AREAS),
        *(f"mål{a}" for a in FILLED_AREAS),
    ]
    missing = [word for word in words if word not in stored]
    assert missing == []
