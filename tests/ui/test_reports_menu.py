"""The Rapporter menu over the laptop's own caseload: triggered from the menu bar, shown as tables, exported as CSV
(UTF-8, semicolons) through a save dialog and as a PDF through the shared preview dialog (issue 13).

The caseload has a known answer: persons on both sides of 100 hours a month, one woman whose 100 hours are split over
two cases (70 + 35), five women and one man with the same insats (the men's cell is under the limit of 5).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QTableWidget
from uihelpers import CASEWORKER, PASSPHRASE, type_text, unlock, walk_texts

from ibic.base import new_id
from ibic.cases import Case
from ibic.decisions import Scope
from ibic.demo import demo_cases
from ibic.people import Person
from ibic.vocabulary import DecisionForm, ScopeUnit
from storage.kdf import KdfParameters
from storage.profile import create_profile, unlock_profile
from ui.printing.preview import UtredningPreviewDialog

TODAY = date.today()
LOAD_TIMEOUT_MS = 60_000
WOMAN_NUMBER = "198611239883"  # a known test personnummer (a woman); placeholder names, never a real pairing
# Hours a month granted per woman's case; the last woman has two cases (70 + 35 = 105, over the limit together).
WOMEN_HOURS = ((104,), (80,), (120,), (60,), (70, 35))


def _case_for(template: Case, person: Person, number: str, hours: float) -> Case:
    decision = template.decisions[0]
    scope = Scope(amount=hours, unit=ScopeUnit.HOURS_PER_MONTH, form=DecisionForm.PER_INSATS)
    return template.model_copy(
        deep=True,
        update={
            "id": new_id(),
            "person_id": person.id,
            "case_number": number,
            "decisions": [decision.model_copy(update={"scope": scope})],
            "consents": [],
        },
    )


def women_with_hours(
    template: Case, hours_of: tuple[tuple[float, ...], ...], family: str
) -> tuple[list[Person], list[Case]]:
    """A woman per entry of ``hours_of`` with a case per hours a month, numbered TEST-2026-0001 on, copies of
    ``template`` with one decision of those hours."""
    people, cases = [], []
    for index, hours in enumerate(hours_of):
        woman = Person(given_name="Testperson", family_name=f"{family}{index}", personal_number=WOMAN_NUMBER,
                       fictitious=True)
        people.append(woman)
        for amount in hours:
            cases.append(_case_for(template, woman, f"TEST-2026-{len(cases) + 1:04d}", amount))
    return people, cases


@pytest.fixture
def caseload_dir(profile_dir: Path) -> Path:
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    people, cases = demo_cases(TODAY)
    template = next(c for c in cases if c.case_number == "DEMO-2025-0117")  # Tolvan, a man: 104 h/month
    women, theirs = women_with_hours(template, WOMEN_HOURS, "K")
    people.extend(women)
    cases.extend(theirs)
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.lock()
    return profile_dir


@pytest.fixture
def reports_window(qtbot, settings, caseload_dir):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow, StartOptions

    main = MainWindow(settings, StartOptions(profile_dir=caseload_dir, kdf=KdfParameters()))
    qtbot.addWidget(main)
    main.show()
    unlock(qtbot, main)
    yield main
    if main.session is not None:
        main.session.lock()


def _trigger(window, key: str):  # type: ignore[no-untyped-def]
    menu = window.reports.menu
    assert menu.title() == "Ra&pporter"
    action = window.reports.actions[key]
    assert action in menu.actions() and action.isEnabled()
    action.trigger()
    dialog = window.reports.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _rows(dialog, tab: int = 0) -> list[list[str]]:  # type: ignore[no-untyped-def]
    table = dialog.tabs.widget(tab).findChild(QTableWidget)
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _save_to(monkeypatch, path: Path, suggested: list[str]) -> None:  # type: ignore[no-untyped-def]
    def get_save_file_name(*args, **kwargs):  # type: ignore[no-untyped-def]
        suggested.append(args[2])
        return str(path), "CSV (*.csv)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)


def _audit(directory: Path) -> list[tuple[str, str]]:
    profile = unlock_profile(directory, PASSPHRASE)
    try:
        return [(e.action, e.detail) for e in profile.audit.entries()]
    finally:
        profile.lock()


def test_the_reports_menu_is_disabled_until_unlock(qtbot, settings, caseload_dir):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow, StartOptions

    main = MainWindow(settings, StartOptions(profile_dir=caseload_dir, kdf=KdfParameters()))
    qtbot.addWidget(main)
    main.show()
    assert not any(action.isEnabled() for action in main.reports.actions.values())
    unlock(qtbot, main)
    assert all(action.isEnabled() for action in main.reports.actions.values())
    main.session.lock()


def test_internal_control_lists_persons_at_100_hours_across_cases_and_exports_the_csv(  # type: ignore[no-untyped-def]
    qtbot, reports_window, caseload_dir, monkeypatch, tmp_path
):
    dialog = _trigger(reports_window, "internkontroll")
    assert dialog.windowTitle() == "Rapport: Internkontroll av stora beslut"
    listed = {row[0]: row for row in _rows(dialog)}
    # 104 (man), 104, 120 and 70 + 35 (split) are at or over 100 hours; 80 and 60 are not.
    assert set(listed) == {"DEMO-2025-0117", "TEST-2026-0001", "TEST-2026-0003", "TEST-2026-0005, TEST-2026-0006"}
    split = listed["TEST-2026-0005, TEST-2026-0006"]
    assert split[1:3] == ["105,0", "2"], "70 + 35 hours in two decisions of two cases"
    assert listed["TEST-2026-0003"][1:3] == ["120,0", "1"]

    target = tmp_path / "internkontroll"
    suggested: list[str] = []
    _save_to(monkeypatch, target, suggested)
    with qtbot.waitSignal(dialog.csv_saved, timeout=5_000):
        qtbot.keyClick(dialog.csv_button, Qt.Key.Key_Space)
    written = (tmp_path / "internkontroll.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, as Excel needs for å, ä, ö"
    lines = written.decode("utf-8-sig").split("\r\n")
    assert lines[0] == ("Ärendenummer;Beviljad tid (timmar per månad);Antal beslut;Gränsen nådd;"
                        "Uppföljning senast;Uppföljd sedan gränsen nåddes;Uppföljd den")
    cells = [line.split(";") for line in lines[1:] if line]
    assert sorted(c[1] for c in cells) == ["104,0", "104,0", "105,0", "120,0"]
    assert all(len(c) == 7 for c in cells)
    assert "rapport-internkontroll-" in suggested[0] and "Testperson" not in suggested[0]
    assert ("export_csv", "rapport internkontroll") in _audit(caseload_dir)


def test_statistics_by_women_and_men_withhold_a_cell_under_five(  # type: ignore[no-untyped-def]
    qtbot, reports_window, monkeypatch, tmp_path
):
    dialog = _trigger(reports_window, "kon")
    assert dialog.tabs.count() == 3, "insatser, goal attainment and how the cases arose"
    insatser = _rows(dialog, 0)
    omvardnad = next(row for row in insatser if row[0].startswith("Hemtjänst – omvårdnad"))
    assert omvardnad[1] == "5", "five women: shown"
    assert omvardnad[2] == "..", "one man: withheld"
    _save_to(monkeypatch, tmp_path / "kon.csv", [])
    with qtbot.waitSignal(dialog.csv_saved, timeout=5_000):
        qtbot.keyClick(dialog.csv_button, Qt.Key.Key_Space)
    text = (tmp_path / "kon.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Insats;Kvinnor;Män;Totalt"
    row = next(line for line in text.splitlines() if line.startswith("Hemtjänst – omvårdnad"))
    assert row.split(";")[1:3] == ["5", ".."]


def test_every_report_dialog_shows_only_swedish(qtbot, reports_window):  # type: ignore[no-untyped-def]
    from test_translations import _english_only

    for key in reports_window.reports.actions:
        dialog = _trigger(reports_window, key)
        assert _english_only(walk_texts(dialog)) == [], key
        dialog.reject()


def test_continuity_and_process_times_are_shown_from_the_menu(qtbot, reports_window):  # type: ignore[no-untyped-def]
    dialog = _trigger(reports_window, "kontinuitet")
    assert [row[0] for row in _rows(dialog)] == ["Alla", "Kvinnor", "Män"]
    dialog.reject()
    dialog = _trigger(reports_window, "handlaggningstider")
    rows = _rows(dialog)
    assert rows[-1][0] == "Median"
    assert {row[0] for row in rows[:-1]} >= {"DEMO-2025-0117", "TEST-2026-0001"}
    assert all(row[4] == "20" for row in rows[:-1] if row[0].startswith(("DEMO-2025", "TEST-"))), "20 days"


def test_a_period_ending_before_it_starts_is_refused_with_a_message_and_the_text_kept(  # type: ignore[no-untyped-def]
    qtbot, reports_window
):
    dialog = _trigger(reports_window, "internkontroll")
    before = _rows(dialog)
    dialog.period_end.edit.clear()
    type_text(dialog.period_end.edit, f"{TODAY.year - 1}-06-30")
    assert dialog.period_error.text() == "Perioden slutar innan den börjar."
    assert dialog.period_end.edit.text() == f"{TODAY.year - 1}-06-30"
    assert _rows(dialog) == before


def _previewed(qtbot, window, key: str) -> UtredningPreviewDialog:  # type: ignore[no-untyped-def]
    """The report ``key`` from the menu, printed through its PDF button into the preview, once the PDF is there."""
    dialog = _trigger(window, key)
    qtbot.keyClick(dialog.pdf_button, Qt.Key.Key_Space)
    preview = dialog.findChild(UtredningPreviewDialog)
    assert preview is not None
    if not preview._pdf:
        with qtbot.waitSignal(preview.document_loaded, timeout=LOAD_TIMEOUT_MS):
            pass
    return preview


def test_the_report_prints_as_a_pdf_through_the_preview_naming_no_one(qtbot, reports_window, caseload_dir):  # type: ignore[no-untyped-def]
    preview = _previewed(qtbot, reports_window, "internkontroll")
    assert preview.windowTitle() == "Förhandsgranskning: rapport"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(preview._pdf)).pages)
    text = text.replace("\n", "")  # table cells wrap inside case numbers
    assert "Internkontroll" in text and "TEST-2026-0003" in text and "120,0" in text
    assert "Testperson" not in text and "Tolvan" not in text and "19861123" not in text
    assert f"Egen ärendelista – {CASEWORKER}" in text


def test_the_lock_closes_the_report_dialog(qtbot, reports_window):  # type: ignore[no-untyped-def]
    dialog = _trigger(reports_window, "internkontroll")
    reports_window.action_lock.trigger()  # as the idle lock does; the modal dialog keeps Ctrl+L from the window
    qtbot.waitUntil(lambda: reports_window.session is None)
    assert not dialog.isVisible()


def test_a_csv_export_the_audit_log_cannot_record_is_refused_and_nothing_written(  # type: ignore[no-untyped-def]
    qtbot, reports_window, monkeypatch, tmp_path
):
    from PySide6.QtWidgets import QMessageBox

    dialog = _trigger(reports_window, "internkontroll")
    _save_to(monkeypatch, tmp_path / "rapport.csv", [])  # tmp_path also holds the profile folder
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: errors.append(args[1]))

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("audit log unavailable")

    monkeypatch.setattr(reports_window.session.profile.audit, "record", refuse)
    with qtbot.assertNotEmitted(dialog.csv_saved):
        qtbot.keyClick(dialog.csv_button, Qt.Key.Key_Space)
    assert errors == ["Inte loggat"]
    assert not (tmp_path / "rapport.csv").exists()


def test_every_control_of_a_report_dialog_has_an_accessible_name(qtbot, reports_window):  # type: ignore[no-untyped-def]
    from test_accessibility import _unnamed_controls

    for key in reports_window.reports.actions:
        dialog = _trigger(reports_window, key)
        assert _unnamed_controls(dialog) == [], key
        dialog.reject()


def test_a_case_number_read_as_a_formula_is_exported_as_text(  # type: ignore[no-untyped-def]
    qtbot, settings, profile_dir, monkeypatch, tmp_path
):
    """A case number from the central system starting with "=" (or "+", "-", "@"): main wrote it as it was, and a
    spreadsheet opening the CSV ran it as a formula. A "'" in front keeps it text; numbers keep their sign."""
    from ui.main_window import MainWindow, StartOptions

    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    people, cases = demo_cases(TODAY)
    large = next(c for c in cases if c.case_number == "DEMO-2025-0117")  # 104 h/month: in the internal control
    large.case_number = '=HYPERLINK("https://example.invalid";"Öppna")'
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.lock()
    main = MainWindow(settings, StartOptions(profile_dir=profile_dir, kdf=KdfParameters()))
    qtbot.addWidget(main)
    main.show()
    unlock(qtbot, main)
    dialog = _trigger(main, "internkontroll")
    _save_to(monkeypatch, tmp_path / "ik.csv", [])
    with qtbot.waitSignal(dialog.csv_saved, timeout=5_000):
        qtbot.keyClick(dialog.csv_button, Qt.Key.Key_Space)
    rows = list(csv.reader(io.StringIO((tmp_path / "ik.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[1][:2] == ["'" + large.case_number, "104,0"]
    main.session.lock()



def _printed_words(qtbot, window, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    preview = _previewed(qtbot, window, key)
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(preview._pdf)).pages).split()
    preview.reject()
    window.reports.dialog.reject()
    return words


def test_the_printed_reports_keep_case_numbers_dates_and_heading_words_whole(qtbot, reports_window):  # type: ignore[no-untyped-def]
    """The reports' tables had columns of equal width: on main "TEST-2026-0003" printed as "TEST-2026-" / "0003",
    dates as "2026-08-1" / "6", and the process times' headings broke mid-word ("Aktualisera" / "t")."""
    words = _printed_words(qtbot, reports_window, "internkontroll")
    numbers = [word.rstrip(",") for word in words if word.startswith(("TEST-", "DEMO-"))]
    assert "TEST-2026-0003" in numbers and "DEMO-2025-0117" in numbers
    assert all(len(number) == len("TEST-2026-0003") for number in numbers), numbers
    dates = [word.rstrip("–") for word in words if word[:4].isdigit() and word[4:5] == "-"]
    assert dates and all(len(day) == len("2026-08-16") for day in dates), dates
    assert "Ärendenummer" in words and "Uppföljning" in words
    words = _printed_words(qtbot, reports_window, "handlaggningstider")
    for heading in ("Ärendenummer", "Aktualiserat", "Beslutsmeddelande", "beslutsmeddelande"):
        assert heading in words, f"{heading} printed whole"
