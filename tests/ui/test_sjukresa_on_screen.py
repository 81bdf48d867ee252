"""Sjukresa on the person (Ärendet step) and the proposal editor's exclusion: a följeslagare to the doctor is not
granted when the person is entitled to sjukresa (seed 001, the insats's excluded_when)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from uihelpers import PASSPHRASE, type_text, unlock

from storage.profile import unlock_profile

EXCLUSION = "Beviljas inte till läkarbesök när personen har rätt till sjukresor"


def _escort_editor(workspace):  # type: ignore[no-untyped-def]
    workspace.go_to("proposal")
    page = workspace.proposal_page
    return next(e for e in page.editors if e._proposal.insats_id == "foljeslagare")


def test_sjukresa_is_recorded_on_the_person_and_rules_out_an_escort_to_the_doctor(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
):
    unlock(qtbot, demo_window)
    case_id = next(s.case_id for s in demo_window.session.summaries() if s.case_number == "DEMO-2026-0001")
    demo_window.open_case(case_id)
    workspace = demo_window.workspace
    case_page = workspace.case_page
    box = case_page.person.patient_transport
    assert box.text() == "Rätt till sjukresa till läkar- och vårdbesök"
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    case_page.item_insats.setFocus()
    type_text(case_page.item_insats, "Hemtjänst – följ")
    assert case_page.item_insats.currentData() == "foljeslagare"
    qtbot.keyClick(case_page.items.add_button, Qt.Key.Key_Space)

    editor = _escort_editor(workspace)
    assert editor.medical_visits.isVisible(), "the escort insats has a rule that depends on medical visits"
    type_text(editor.outcome, "B")  # Bifall
    editor.medical_visits.setFocus()
    qtbot.keyClick(editor.medical_visits, Qt.Key.Key_Space)
    assert EXCLUSION in editor.problems.text()
    qtbot.keyClick(editor.medical_visits, Qt.Key.Key_Space)  # escort to the hairdresser only: allowed
    assert EXCLUSION not in editor.problems.text()
    qtbot.keyClick(editor.medical_visits, Qt.Key.Key_Space)
    workspace.save_now()

    workspace.go_to("case")  # without sjukresa the escort to the doctor may be granted
    qtbot.keyClick(case_page.person.patient_transport, Qt.Key.Key_Space)
    editor = _escort_editor(workspace)
    assert editor.medical_visits.isChecked()
    assert EXCLUSION not in editor.problems.text()
    workspace.go_to("case")
    qtbot.keyClick(case_page.person.patient_transport, Qt.Key.Key_Space)
    workspace.save_now()

    profile = unlock_profile(demo_profile_dir, PASSPHRASE)
    try:
        case = profile.cases.load(case_id)
        person = profile.people.load(case.person_id)
    finally:
        profile.lock()
    assert person.patient_transport_entitled is True
    assert next(p for p in case.proposals if p.insats_id == "foljeslagare").for_medical_visits is True


def test_other_insatser_show_no_medical_visit_choice(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_id = next(s.case_id for s in demo_window.session.summaries() if s.case_number == "DEMO-2026-0001")
    demo_window.open_case(case_id)
    workspace = demo_window.workspace
    workspace.go_to("proposal")
    editors = workspace.proposal_page.editors
    assert editors and all(not e.medical_visits.isVisible() for e in editors)
