"""Counted Swedish texts take the form of their number: "1 av 1 ärende", "1 sak att komplettera", "Vänta 1 sekund"
(session 23 found "1 av 1 ärenden", "1 saker" and "1 sekunder"; the navigator's "1 av 1 delområden bedömda" is in
test_sub_areas). Each is read where a person meets it: the case list, Kontroll (Ctrl+5), the unlock page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from uihelpers import demo_profile_with, type_text, unlock

from ibic.cases import Case
from ibic.communication import Communication
from ibic.investigation import NotRelevant
from ibic.reference import load_reference_data

NUMBER = "DEMO-2026-0001"


def _one_case_one_finding(cases: list[Case]) -> None:
    """Only DEMO-2026-0001, every life area it leaves unmapped marked ej aktuellt, kommunicering recorded as not
    needed and one of its two applied insatser gone: the check finds one thing, the other insats' proposal."""
    case = next(c for c in cases if c.case_number == NUMBER)
    cases[:] = [case]
    ref = load_reference_data()
    for area in ref.life_areas:
        assessment = case.investigation.ensure_assessment(area.id)
        if not (assessment.own_description or assessment.others or assessment.qualifier or assessment.sub_areas):
            assessment.not_relevant = NotRelevant(reason_id=ref.not_relevant_reasons[0].id)
    case.communication = Communication(not_done_reason="Beslutet blir som ansökan.")
    case.application.items = case.application.items[:1]
    case.proposals = [p for p in case.proposals if p.application_item_id == case.application.items[0].id]


@pytest.fixture
def demo_profile_dir(profile_dir: Path) -> Path:
    return demo_profile_with(profile_dir, _one_case_one_finding)


def test_one_case_is_counted_as_one_ärende_in_the_case_list(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    assert case_list.count_label.text() == "1 av 1 ärende"
    type_text(case_list.search, "ingen sådan")
    assert case_list.count_label.text() == "0 av 1 ärende"


def test_one_thing_left_is_counted_as_one_sak_on_kontroll(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    type_text(demo_window.case_list.search, "tolvan")
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_Return)  # opens the case found
    assert demo_window.workspace is not None and demo_window.workspace.opened.case.case_number == NUMBER
    qtbot.keySequence(demo_window, QKeySequence("Ctrl+5"))  # Gå › 5. Kontroll
    check = demo_window.workspace.check_page
    qtbot.waitUntil(lambda: check.listing.count() == 1)
    assert check.summary.text() == ("1 sak att komplettera innan utkastet är klart. Välj den för att gå till "
                                    "fältet.")


def test_a_wait_of_one_second_is_one_sekund_on_the_unlock_page(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir, monkeypatch
) -> None:
    """Three wrong passphrases before, the last one stamped later than the clock (a clock set back): the full first
    delay is asked for; made 1.4 s here, it is said as 1 second."""
    from storage import throttle

    monkeypatch.setattr(throttle, "FIRST_DELAY_SECONDS", 1.4)
    stamp = {"failures": throttle.FREE_FAILURES, "last_failure": 4_000_000_000.0}
    (demo_profile_dir / throttle.FILE_NAME).write_text(json.dumps(stamp), "ascii")
    panel = demo_window.unlock_panel
    type_text(panel.passphrase_edit, "fel lösenfras")
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "För många försök" in panel.error.text(), timeout=20_000)
    assert panel.error.text() == "För många försök. Vänta 1 sekund och försök igen."
