"""Domain notes (the process, aktualisering): only the person, a god man or förvaltare within the mandate, someone
holding a framtidsfullmakt (or an ombud) can apply. An application recorded as made by a representative the person
does not have is a Kontroll finding that leads to the field. On main Kontroll said nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from test_sub_areas import _focused, _keys, _open_case, _tab_to
from uihelpers import choose_finding, type_text, unlock

FINDING = "Ansökan är gjord av Framtidsfullmakt, men personen har ingen sådan företrädare registrerad."


def _findings(workspace) -> list[str]:  # type: ignore[no-untyped-def]
    listing = workspace.check_page.listing
    return [listing.item(i).text() for i in range(listing.count())]


def _choose_applicant(qtbot, workspace, typed: str) -> None:  # type: ignore[no-untyped-def]
    _keys("Ctrl+1")
    qtbot.waitUntil(lambda: workspace.case_page.isVisible())
    combo = workspace.case_page.applicant
    _tab_to(combo)
    qtbot.wait(QApplication.keyboardInputInterval() + 50)
    type_text(combo, typed)


def test_an_application_by_a_representative_the_person_lacks_is_a_finding(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")  # Tolvan has a god man, no framtidsfullmakt
    _choose_applicant(qtbot, workspace, "Framtid")
    assert workspace.case_page.applicant.currentData() == "power_of_attorney"
    _keys("Ctrl+5")
    choose_finding(qtbot, workspace, FINDING)
    assert _focused() is workspace.case_page.applicant

    _choose_applicant(qtbot, workspace, "God")  # the god man he has: no finding
    assert workspace.case_page.applicant.currentData() == "guardian"
    _keys("Ctrl+5")
    qtbot.waitUntil(lambda: workspace.check_page.isVisible())
    assert not [text for text in _findings(workspace) if text.startswith("Ansökan är gjord av")]
