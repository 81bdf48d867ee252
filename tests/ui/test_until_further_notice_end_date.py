"""Seed 001: "Alla beslut förutom trygghetslarm, servicehuslägenhet och vård- och omsorgsboende är tidsbestämda";
those three are granted until further notice. On main an end date typed on a servicehuslägenhet's proposal was taken
beside "Beviljas tills vidare: inget slutdatum behövs.", the proposal called complete, and the draft printed
"Omfattning tills vidare" over "Period 2027-01-01 – 2027-06-30". Now the proposal asks for the end to be removed,
and a time-limited insats beside it still asks for one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_insats_rules_on_proposal import _add_item_and_open_its_proposal, _opened
from uihelpers import type_text, unlock

REMOVE = "Servicehuslägenhet beviljas tills vidare, inte för en viss tid: ta bort slutdatumet."


def _type_date(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.edit.setFocus()
    field.edit.selectAll()
    if text:
        type_text(field.edit, text)
    else:
        qtbot.keyClick(field.edit, Qt.Key.Key_Delete)
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)


def _granted(qtbot, editor) -> None:  # type: ignore[no-untyped-def]
    editor.outcome.setFocus()
    type_text(editor.outcome, "B")  # Bifall
    _type_date(qtbot, editor.starts_on, "2027-01-01")
    editor.motivation.setFocus()
    type_text(editor.motivation, "Behovet kan inte tillgodoses i ordinärt boende.")
    editor.need_exists.setFocus()
    type_text(editor.need_exists, "Oro nattetid, har fallit flera gånger.")


def test_an_end_date_on_a_servicehuslagenhet_is_refused_and_a_time_limited_insats_still_asks_for_one(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    unlock(qtbot, demo_window)
    workspace = _opened(qtbot, demo_window, "DEMO-2026-0001")
    editor = _add_item_and_open_its_proposal(qtbot, workspace, "Servicehus", "servicehus")
    _granted(qtbot, editor)
    assert editor.problems.text() == "Förslaget är komplett."
    _type_date(qtbot, editor.ends_on, "2027-06-30")
    assert editor.until_notice.text() == "Beviljas tills vidare: inget slutdatum behövs."
    assert REMOVE in editor.problems.text(), editor.problems.text()
    _type_date(qtbot, editor.ends_on, "")
    assert editor.problems.text() == "Förslaget är komplett.", "the end removed: nothing else asked"
    short_stay = _add_item_and_open_its_proposal(qtbot, workspace, "Korttid", "korttidsvistelse")
    _granted(qtbot, short_stay)
    assert "Beslutet ska vara tidsbegränsat: ange ett slutdatum." in short_stay.problems.text()
    _type_date(qtbot, short_stay.ends_on, "2027-01-14")
    assert "slutdatum" not in short_stay.problems.text(), short_stay.problems.text()
