"""Kommunicering (FL 25 §, the domain notes): the material is shown to the person and to their god man or
förvaltare. A kommunicering recorded "with" the person alone, when the person has a god man, is a Kontroll finding;
naming the god man under "Med vem" answers it. On main Kontroll said nothing."""

from __future__ import annotations

from datetime import date

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from test_sub_areas import _keys, _open_case, _tab_to
from uihelpers import type_text, unlock

FINDING = ("Materialet ska också visas för Gustav Godman (fiktiv) (god man eller förvaltare): skriv namnet under "
           "Med vem.")


def _findings(workspace) -> list[str]:  # type: ignore[no-untyped-def]
    listing = workspace.check_page.listing
    return [listing.item(i).text() for i in range(listing.count())]


def _type_into(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    _tab_to(widget)
    QTest.qWait(QApplication.keyboardInputInterval() + 50)  # a combo's search starts afresh
    type_text(QApplication.focusWidget(), text)


def test_a_kommunicering_without_the_god_man_is_a_finding_until_he_is_named(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")  # Tolvan, whose god man is Gustav Godman
    _keys("Ctrl+4")
    page = workspace.proposal_page
    _type_into(page.communicated_on.edit, date.today().isoformat())
    _type_into(page.method, "T")  # Telefon
    _type_into(page.with_whom, "Tolvan själv")
    _keys("Ctrl+5")
    qtbot.waitUntil(lambda: FINDING in _findings(workspace))

    _keys("Ctrl+4")
    _type_into(page.with_whom, " och gustav  godman")  # as typed: case and spacing do not matter
    _keys("Ctrl+5")
    qtbot.waitUntil(lambda: workspace.check_page.isVisible())
    assert FINDING not in _findings(workspace)

