"""Statistics by women and men read the sex from the personnummer (seed 004; domain notes: the födelsenummer is odd
for men, even for women). Ny ärende's "Kön" follows the number typed unless the handläggare chooses otherwise."""

from __future__ import annotations

from PySide6.QtCore import Qt
from uihelpers import paste, type_text, unlock

from ibic.vocabulary import Sex


def _create(qtbot, dialog, number: str):  # type: ignore[no-untyped-def]
    type_text(dialog.given_name, "Testperson")
    type_text(dialog.family_name, "Probe")
    type_text(dialog.personal_number, number)
    qtbot.keyClick(dialog.personal_number, Qt.Key.Key_Return)
    return dialog.result_person


def test_a_man_typed_by_his_personnummer_is_a_man(qtbot, new_case_dialog) -> None:  # type: ignore[no-untyped-def]
    person = _create(qtbot, new_case_dialog, "20170101-2393")
    assert person is not None
    assert person.sex == Sex.MALE


def test_a_woman_typed_by_her_personnummer_is_a_woman(qtbot, new_case_dialog) -> None:  # type: ignore[no-untyped-def]
    assert _create(qtbot, new_case_dialog, "198611239883").sex == Sex.FEMALE


def test_a_samordningsnummer_gives_the_sex_as_a_personnummer_does(qtbot, new_case_dialog) -> None:  # type: ignore[no-untyped-def]
    person = _create(qtbot, new_case_dialog, "701063-2391")
    assert person.sex == Sex.MALE and person.personal_number == "197010632391"


def test_a_hundred_year_olds_number_with_plus_gives_the_sex(qtbot, new_case_dialog) -> None:  # type: ignore[no-untyped-def]
    person = _create(qtbot, new_case_dialog, "121212+1212")
    assert person.sex == Sex.MALE and person.personal_number == "191212121212"


def test_kon_chosen_by_the_handlaggare_is_kept(qtbot, new_case_dialog) -> None:  # type: ignore[no-untyped-def]
    dialog = new_case_dialog
    type_text(dialog.personal_number, "20170101-2393")
    assert dialog.sex.currentText() == "Man", "shown as the number says, before OK"
    dialog.sex.setFocus()
    qtbot.keyClick(dialog.sex, Qt.Key.Key_Up)  # a combo's Up chooses the item above: Kvinna
    type_text(dialog.given_name, "Testperson")
    type_text(dialog.family_name, "Probe")
    qtbot.keyClick(dialog.personal_number, Qt.Key.Key_Return)
    assert dialog.result_person.sex == Sex.FEMALE


def test_a_personnummer_corrected_on_the_case_page_brings_kon_along(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """Greta's number corrected to a man's on the Ärendet step: Kön said "Kvinna" still, and she was stored and
    counted a woman under a man's number (s28-rprobe; the dialog's Kön follows the number since s28-probe). A Kön
    chosen against the number is the handläggare's and stays."""
    unlock(qtbot, demo_window)
    case_id = next(s.case_id for s in demo_window.session.summaries() if s.case_number == "DEMO-2026-0002")
    demo_window.open_case(case_id)
    demo_window.workspace.go_to("case")
    section, person = demo_window.workspace.case_page.person, demo_window.workspace.opened.person
    assert person.sex == Sex.FEMALE
    paste(qtbot, section.personal_number, "20170101-2393")
    assert section.personal_number_error.text() == "" and person.personal_number == "201701012393"
    assert section.sex.currentText() == "Man" and person.sex == Sex.MALE
    section.sex.setFocus()
    qtbot.keyClick(section.sex, Qt.Key.Key_Up)  # Kvinna, chosen against the number
    assert person.sex == Sex.FEMALE
    paste(qtbot, section.personal_number, "701063-2391")  # another man's number (a samordningsnummer)
    assert person.personal_number == "197010632391"
    assert section.sex.currentText() == "Kvinna" and person.sex == Sex.FEMALE, "the choice is kept"
