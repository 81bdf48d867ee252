"""The seeds' lists as a person meets them: how a case arises (seed 001: application, phone, letter, hospital,
orosanmälan, unpaid bills, police, a move), where the utredning happens (home, hospital, the office), the ways a
follow-up starts (seed 002), and a new follow-up held at home, the main rule (seed 002)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_follow_up_page import _follow_up_page
from uihelpers import unlock


def _items(combo) -> list[str]:  # type: ignore[no-untyped-def]
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_new_case_dialog_offers_every_way_a_case_arises(new_case_dialog) -> None:  # type: ignore[no-untyped-def]
    offered = _items(new_case_dialog.origin)
    for origin in ("Ansökan", "Telefonsamtal", "Brev", "Sjukhus/utskrivning", "Orosanmälan", "Obetalda räkningar",
                   "Polisen", "Flytt"):
        assert origin in offered


def test_a_visit_is_at_home_at_hospital_or_at_the_office(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_id = next(s.case_id for s in demo_window.session.summaries() if s.case_number == "DEMO-2026-0001")
    demo_window.open_case(case_id)
    demo_window.workspace.go_to("visit")
    offered = _items(demo_window.workspace.visit_page.visit_place)
    assert {"I hemmet", "På sjukhus", "På förvaltningen"} <= set(offered)


def test_a_new_follow_up_names_what_started_it_and_is_held_at_home(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    page, _ = _follow_up_page(qtbot, demo_window)
    assert _items(page.new_trigger) == [
        "Handläggarens initiativ", "Utföraren har påtalat behov",
        "Den enskilde eller anhörig har påtalat förändrat behov", "Tidsbegränsat beslut löper ut",
    ]
    qtbot.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)
    assert page.place.currentText() == "I hemmet"
