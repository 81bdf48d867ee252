"""Seed 001 lists how a case arises (application, phone, letter, hospital, orosanmälan, unpaid bills, police, a move);
the way chosen in Ny ärende is kept and printed, and Rapporter → Statistik efter kvinnor och män counts the cases
actualised in the period by it, women and men (small counts withheld like every statistic). On main no report counted
them: the choice was kept and printed and then seen nowhere else."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_new_case_known_person import _with_dialog
from test_reports_menu import _rows, _trigger, reports_window  # noqa: F401 (a fixture, over caseload_dir here)
from uihelpers import CASEWORKER, PASSPHRASE, typed_person_and_origin

from ibic.cases import Case
from ibic.people import Person
from ibic.vocabulary import CaseOrigin, Sex
from storage.kdf import KdfParameters
from storage.profile import create_profile

WOMEN = ("194001010125", "194001020124", "194001030123", "194001040122")  # test numbers: women (an even 9th digit)
TYPED_WOMAN = "19400105-0121"  # the fifth woman from hospital, typed in Ny ärende
MAN = "194001060112"  # a man (an odd 9th digit), reported by the police


@pytest.fixture
def caseload_dir(profile_dir: Path) -> Path:  # the caseload test_reports_menu's reports_window opens
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    people = [Person(given_name="Testperson", family_name=f"S{i}", personal_number=number, sex=Sex.FEMALE,
                     fictitious=True) for i, number in enumerate(WOMEN)]
    people.append(Person(given_name="Testperson", family_name="P", personal_number=MAN, sex=Sex.MALE,
                         fictitious=True))
    cases = [Case(case_number=f"TEST-2026-{i:04d}", person_id=p.id, opened_on=date.today(),
                  origin=CaseOrigin.POLICE if p.sex == Sex.MALE else CaseOrigin.HOSPITAL)
             for i, p in enumerate(people, 1)]
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.lock()
    return profile_dir


def _new_case_from_hospital(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    def act(dialog) -> None:  # type: ignore[no-untyped-def]
        typed_person_and_origin(qtbot, dialog, "S5", TYPED_WOMAN, "Sju")  # Sjukhus/utskrivning
        qtbot.keyClick(dialog.origin, Qt.Key.Key_Return)  # OK

    _with_dialog(qtbot, window, act, by_action=True)
    assert window.workspace.opened.case.origin == CaseOrigin.HOSPITAL
    window.workspace.save_now()


def test_the_statistics_count_cases_by_how_they_arose_women_and_men(  # type: ignore[no-untyped-def]
    qtbot, reports_window  # noqa: F811
) -> None:
    _new_case_from_hospital(qtbot, reports_window)
    dialog = _trigger(reports_window, "kon")
    tab = next(i for i in range(dialog.tabs.count()) if "aktualiserade" in dialog.tabs.tabText(i))
    rows = {row[0]: row[1:] for row in _rows(dialog, tab)}
    assert list(rows) == ["Ansökan", "Telefonsamtal", "Brev", "Sjukhus/utskrivning", "Orosanmälan",
                          "Obetalda räkningar", "Polisen", "Flytt", "Annat"], "every way, none left out"
    assert rows["Sjukhus/utskrivning"][0] == "5", "four women stored and the one typed in Ny ärende"
    assert rows["Polisen"] == ["..", "..", ".."], "one man: under five, withheld"
    assert rows["Ansökan"] == ["..", "..", ".."], "none: under five, withheld as every small count is"
