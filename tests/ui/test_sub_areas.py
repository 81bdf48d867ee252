"""Delområden (ICF activities such as d450 Gå) under a life area, by keyboard: chosen with Space, a value on the
area's own scale with the arrow keys, a text typed; kept when switching area, shown in the navigator (a count on
the area's row, a row per delområde that Enter opens), printed under the life area in the draft; an old document
with bare ``sub_area_codes`` opens. Switching area keeps the scale's and the delområden's widgets (issue 14)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from test_draft_issuer import draft_text
from uihelpers import PASSPHRASE, type_text, unlock

from storage.profile import unlock_profile
from ui.cases.table_model import SummaryRole
from ui.workspace.navigator import SubAreaRole

TAB_LIMIT = 150


def _focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def _keys(keys: str) -> None:
    QTest.keySequence(_focused(), QKeySequence(keys))


def _tab_to(widget: QWidget) -> None:
    for _ in range(TAB_LIMIT):
        if QApplication.focusWidget() is widget:
            return
        QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    raise AssertionError(f"{widget.objectName()} cannot be reached with Tab")


def _open_case(qtbot, window, case_number: str):  # type: ignore[no-untyped-def]
    table = window.case_list.table
    model = table.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(SummaryRole).case_number == case_number)
    table.setFocus()
    table.selectRow(row)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.isVisible())
    return window.workspace


def _to_area(workspace, area_id: str) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+3 to the kartläggning, then Ctrl+PgDown until ``area_id`` is shown."""
    _keys("Ctrl+3")
    for _ in range(len(workspace.session.ref.life_areas)):
        if workspace.place().area_id == area_id:
            return
        _keys("Ctrl+PgDown")
    assert workspace.place().area_id == area_id


def _area_row(workspace, area_id: str):  # type: ignore[no-untyped-def]
    return workspace.navigator._items[("areas", area_id)]


def test_d450_is_chosen_valued_and_written_by_keys_kept_across_areas_and_printed_under_d4(  # type: ignore[no-untyped-def]
    qtbot, demo_window
):
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0002")  # nothing mapped yet
    _to_area(workspace, "d4")
    editor = workspace.area_form.sub_areas
    row = editor.row_of("d450")
    assert row is not None and row.label.text() == "d450 Gå" and row.chosen.accessibleName() == "d450 Gå"
    assert not row.value.isEnabled() and not row.text.isEnabled(), "an unchosen delområde takes no value"

    _tab_to(row.chosen)
    QTest.keyClick(_focused(), Qt.Key.Key_Space)
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    assert _focused() is row.value, "Tab goes from the delområde to its value"
    assert row.value.currentText() == "Inte bedömt"
    for _ in range(3):  # Inte bedömt → 0 → 1 → 2
        QTest.keyClick(_focused(), Qt.Key.Key_Down)
    QTest.keyClick(_focused(), Qt.Key.Key_Tab)
    assert _focused() is row.text
    type_text(_focused(), "Går kortare sträckor inne med rollator")

    held = workspace.opened.case.investigation.assessment_for("d4").sub_areas
    assert [(s.code, s.qualifier, s.text) for s in held] == [("d450", "2", "Går kortare sträckor inne med rollator")]

    _keys("Ctrl+PgDown")  # to d5: the rows now name d5's delområden, none chosen
    assert workspace.place().area_id == "d5"
    assert editor.row_of("d450") is None and not any(r.chosen.isChecked() for r in editor.rows)
    assert not editor.findChild(QWidget, "subArea_d450").isVisibleTo(workspace.area_form)
    _keys("Ctrl+PgUp")
    row = editor.row_of("d450")
    assert row is not None and row.chosen.isChecked()
    assert row.value.currentText().startswith("2") and row.text.text() == "Går kortare sträckor inne med rollator"

    qtbot.waitUntil(lambda: "1 av 1 delområde bedömt" in _area_row(workspace, "d4").text(0))
    child = _area_row(workspace, "d4").child(0)
    assert child.data(0, SubAreaRole) == "d450" and child.text(0) == "d450 Gå: Måttlig svårighet"

    text = draft_text(qtbot, demo_window)
    start = text.index("Förflyttning (d4)")
    end = text.index("Livsområden som inte har kartlagts")
    under_d4 = text[start:end]
    assert "d450 Gå" in under_d4 and "Måttlig svårighet (skalsteg 2" in under_d4
    assert "Går kortare sträckor inne med rollator" in under_d4


def test_space_again_unchooses_and_a_second_space_brings_back_value_and_text(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")  # d4 holds d450 (value 1) and d460 (value 3)
    _to_area(workspace, "d4")
    row = workspace.area_form.sub_areas.row_of("d460")
    assessment = workspace.opened.case.investigation.assessment_for("d4")
    _tab_to(row.chosen)
    QTest.keyClick(_focused(), Qt.Key.Key_Space)
    assert [s.code for s in assessment.sub_areas] == ["d450"]
    assert not row.value.isEnabled() and row.text.text(), "the text stays on screen, greyed out"
    QTest.keyClick(_focused(), Qt.Key.Key_Space)
    assert [(s.code, s.qualifier, s.text) for s in assessment.sub_areas][1] == (
        "d460", "3", "Går inte ut ensam av rädsla att falla.")


def test_enter_on_a_delomrade_row_of_the_navigator_puts_focus_on_its_value(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    navigator = workspace.navigator
    qtbot.waitUntil(lambda: _area_row(workspace, "d4").childCount() == 2)
    assert "1 av 2" not in _area_row(workspace, "d4").text(0) and "2 av 2 delområden bedömda" in (
        _area_row(workspace, "d4").text(0))
    _keys("F6")
    assert _focused() is navigator
    for _ in range(40):  # Down through the rows as the handläggare would, until d460's row
        current = navigator.currentItem()
        if current is not None and current.data(0, SubAreaRole) == "d460":
            break
        QTest.keyClick(navigator, Qt.Key.Key_Down)
    assert navigator.currentItem().data(0, SubAreaRole) == "d460"
    assert workspace.place().area_id == "d4", "moving onto the row shows its area"
    QTest.keyClick(navigator, Qt.Key.Key_Return)
    assert _focused() is workspace.area_form.sub_areas.row_of("d460").value


def test_an_old_document_with_bare_sub_area_codes_opens_with_them_chosen_and_unassessed(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
):
    profile = unlock_profile(demo_profile_dir, PASSPHRASE)
    case_id = next(s.case_id for s in profile.cases.list_summaries() if s.case_number == "DEMO-2026-0001")
    with profile._db.transaction() as connection:  # as a version before delområden had values stored it
        (text,) = connection.execute("SELECT document FROM case_documents WHERE id = ?", (case_id,)).fetchone()
        document = json.loads(text)
        d4 = next(a for a in document["investigation"]["assessments"] if a["area_id"] == "d4")
        del d4["sub_areas"]
        d4["sub_area_codes"] = ["d450", "d465"]
        connection.execute("UPDATE case_documents SET document = ? WHERE id = ?", (json.dumps(document), case_id))
    profile.lock()
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    _to_area(workspace, "d4")
    editor = workspace.area_form.sub_areas
    chosen = [r.sub_area.code for r in editor.rows if r.chosen.isChecked()]
    assert chosen == ["d450", "d465"]
    assert all(editor.row_of(code).value.currentText() == "Inte bedömt" for code in chosen)
    qtbot.waitUntil(lambda: "0 av 2 delområden bedömda" in _area_row(workspace, "d4").text(0))


def test_switching_through_every_area_reuses_the_scale_buttons_and_delomrade_rows(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    _to_area(workspace, "d1")
    form = workspace.area_form
    buttons = list(form.scale_group.buttons())
    rows = [row.widgets() for row in form.sub_areas.all_rows()]
    seen: dict[str, list[str]] = {}
    for area in workspace.session.ref.life_areas:
        _to_area(workspace, area.id)
        shown = [b for b in form.scale_group.buttons() if b.isVisibleTo(form)]
        seen[area.id] = [b.objectName() for b in shown]
        assert len(shown) == len(workspace.session.ref.scale(area.scale).steps)
        assert form.sub_areas.isVisibleTo(form) == bool(area.sub_areas)
        shown = [r.sub_area.code for r in form.sub_areas.all_rows() if r.chosen.isVisibleTo(form)]
        assert shown == [sub.code for sub in area.sub_areas], "only the area's own delområden are on screen"
    assert list(form.scale_group.buttons()) == buttons, "no scale button was rebuilt"
    assert [row.widgets() for row in form.sub_areas.all_rows()] == rows, "no delområde row was rebuilt"
    assert seen["e398A"][:2] == ["scale_.0", "scale_.1"] and seen["d9"][0] == "scale_0"
    for _ in range(len(workspace.session.ref.life_areas)):
        _keys("Ctrl+PgUp")  # and back: the d-areas' scale again, on the same buttons
    assert [b.objectName() for b in form.scale_group.buttons() if b.isVisibleTo(form)] == seen["d1"]
