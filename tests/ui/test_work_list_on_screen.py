"""Issue 12: the "Att göra" work list on the main window, reached with Ctrl+T; Enter opens the case."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import type_text, unlock

from ibic.follow_up import FollowUp


def _rows(panel) -> list[list[str]]:  # type: ignore[no-untyped-def]
    model = panel.model
    return [[panel.cell_text(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_ctrl_t_shows_what_is_due_most_urgent_first_and_enter_opens_the_case(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    qtbot.keyClick(demo_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    panel = demo_window.case_list.work
    assert QApplication.focusWidget() is panel.table
    rows = _rows(panel)
    assert panel.heading.text() == f"Att göra: {len(rows)} saker"
    assert [r[2] for r in rows].count("DEMO-2026-0002") == 2  # two discharge clocks: SIP and payment
    first = rows[0]
    assert first[0].startswith("Försenad: ") and first[2] == "DEMO-2025-0117"
    assert first[1] == "uppföljning av stort beslut (cirka 100 tim/mån eller mer)"
    assert "ska följas upp" in first[4]
    planned = [r for r in rows if r[1].startswith("planerad uppföljning")]
    assert planned and all("cirka 100 tim/mån" in r[1] for r in planned)  # the demo's follow-up is of a large decision
    urgency = {"Försenad": 0, "Snart": 1, "Kommande": 2}
    order = [(urgency[r[0].split(":")[0]], r[0].split(": ")[1]) for r in rows]
    assert order == sorted(order)
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    expected = rows[1][2]
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert demo_window.workspace is not None and demo_window.workspace.opened.case.case_number == expected


def test_a_follow_up_planned_in_the_case_appears_in_the_work_list(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    type_text(demo_window.case_list.search, "DEMO-2026-0001")
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    day = date.today() + timedelta(days=3)
    workspace.opened.case.follow_ups.append(FollowUp(planned_on=day))
    workspace.mark_dirty()  # planned in the open case, not yet saved: leaving for the list saves it
    qtbot.keyClick(demo_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    rows = _rows(demo_window.case_list.work)
    assert ["Snart: " + day.isoformat(), "planerad uppföljning", "DEMO-2026-0001"] in [r[:3] for r in rows]


def test_tab_goes_in_reading_order_from_the_search_to_the_work_list_and_the_cases(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    assert QApplication.focusWidget() is case_list.search
    seen = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [case_list.new_button, case_list.work.table, case_list.table]


def test_back_to_the_list_after_an_edit_replaces_the_cases_rows_and_keeps_the_others(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    panel = demo_window.case_list.work
    before = _rows(panel)
    assert [r[2] for r in before].count("DEMO-2026-0002") == 2
    type_text(demo_window.case_list.search, "DEMO-2026-0002")
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    workspace.opened.case.origin_note = "Ändrad anteckning."
    workspace.mark_dirty()  # an edit that changes no deadline: the case's rows come back the same, once
    qtbot.keyClick(workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.stack.currentWidget() is demo_window.case_list
    assert _rows(panel) == before
    day = date.today() + timedelta(days=2)
    qtbot.keyClick(demo_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # the most urgent case, then a follow-up planned in it
    assert demo_window.stack.currentWidget() is demo_window.workspace
    opened = demo_window.workspace.opened.case
    assert opened.case_number == before[0][2]
    opened.follow_ups.append(FollowUp(planned_on=day))
    demo_window.workspace.mark_dirty()
    qtbot.keyClick(demo_window.workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    after = _rows(panel)
    assert len(after) == len(before) + 1
    assert [r for r in after if r[2] != opened.case_number] == [r for r in before if r[2] != opened.case_number]


def test_cases_saved_into_a_page_never_listed_show_in_both_lists(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """The work rows point at the case list's rows by index (``WorkColumns``): a page whose first rows come as saved
    cases (no listing before) shows each case's work rows with its number and name, and Enter opens the case."""
    from ui.cases.case_list import CaseListPage

    unlock(qtbot, demo_window)
    session = demo_window.session
    page = CaseListPage(session.ref, today=session.today)
    qtbot.addWidget(page)
    summaries = session.summaries()
    page.update_rows(summaries)
    assert page.model.rowCount() == len(summaries)
    expected = _rows(demo_window.case_list.work)
    assert expected and _rows(page.work) == expected
    page.work.focus_first()
    with qtbot.waitSignal(page.work_activated) as opened:
        qtbot.keyClick(page.work.table, Qt.Key.Key_Return)
    assert opened.args == [page.work.rows[0].case_id, "follow_up", ""]  # the demo's most urgent: a large follow-up


def test_work_rows_over_columns_other_than_the_case_lists_are_refused(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """The work rows are row indices into the case list's columns (``WorkColumns``): over any other columns a saved
    case's rows would take another case's number and name, silently. A listing so built, or a save into a page
    whose work rows were set apart from its case rows, is refused instead (the page sets both from one listing)."""
    import pytest

    from ui.cases.case_list import PreparedListing, prepared_listing
    from ui.cases.work_list import work_rows

    unlock(qtbot, demo_window)
    session, page = demo_window.session, demo_window.case_list
    summaries = session.summaries()
    listing = prepared_listing(summaries, session.ref, session.today())
    with pytest.raises(ValueError, match="columns"):
        PreparedListing(listing.cases, work_rows(summaries, session.today()))
    page.set_rows(listing)
    assert page.work.rows.columns is page.model.columns()
    page.work.set_rows(work_rows(reversed(summaries), session.today()))  # the same rows, but over columns of their own
    with pytest.raises(ValueError, match="columns"):
        page.update_rows(summaries[:1])
