"""What a step's add form holds, not added, while the handläggare moves to another step of the same case and back
(Ctrl+1 … Ctrl+6): it stays typed, and nothing is added. s20-leftovers added it at the step's leaving (before, the
step's next load emptied it): a goal half written was recorded with the combo's first choice, "Uppnått", and a
visit cut off mid-sentence, items nobody confirmed. The case left (Ctrl+E, a lock) adds what can be added, as
before; a hidden step's add that is refused is asked about (or kept by the lock) on its own step, shown first.
The tests fail on s20-leftovers's head (b7d68f9: added, or asked about at Ctrl+2) and on main (emptied)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_leave_with_refused_add_text import _locked_and_unlocked, _opened, _stored
from test_leave_with_refused_text import _answer, _question
from test_refused_text_kept import _keys
from uihelpers import type_text


def test_a_goal_half_written_is_neither_added_nor_lost_by_another_step(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _opened(qtbot, demo_window, "DEMO-2025-0117")
    _keys(qtbot, demo_window, Qt.Key.Key_6)
    page = workspace.follow_up_page
    goals = [goal.goal for goal in page._current.goal_results]
    type_text(page.goal_text, "Kunna duscha")
    _keys(qtbot, demo_window, Qt.Key.Key_3)  # to read the person's own goal again
    assert _question(demo_window) is None and workspace.step == "areas"
    assert [goal.goal for goal in workspace.opened.case.follow_ups[-1].goal_results] == goals, "nothing added"
    _keys(qtbot, demo_window, Qt.Key.Key_6)
    page = workspace.follow_up_page
    assert page.goal_text.text() == "Kunna duscha" and page.goals.listing.count() == len(goals)
    type_text(page.goal_text, " själv")
    page.goal_attainment.setCurrentIndex(2)  # Ej uppnått, chosen this time
    qtbot.mouseClick(page.goals.add_button, Qt.MouseButton.LeftButton)
    assert workspace.save_now()
    held = _stored(workspace).follow_ups[-1].goal_results
    assert [(g.goal, g.attainment.value) for g in held][len(goals):] == [("Kunna duscha själv", "not_achieved")]


def test_a_visit_typed_stays_in_its_form_over_another_step_and_is_added_as_the_case_is_left(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _opened(qtbot, demo_window)
    _keys(qtbot, demo_window, Qt.Key.Key_2)
    page = workspace.visit_page
    visits = len(workspace.opened.case.investigation.visits)
    page.visit_date.edit.selectAll()
    type_text(page.visit_date.edit, "2026-11-30")
    type_text(page.participants, "Eva Testsson – dotter")
    _keys(qtbot, demo_window, Qt.Key.Key_3)
    assert _question(demo_window) is None and workspace.step == "areas"
    assert len(workspace.opened.case.investigation.visits) == visits
    _keys(qtbot, demo_window, Qt.Key.Key_2)
    assert page.participants.text() == "Eva Testsson – dotter" and page.visit_date.edit.text() == "2026-11-30"
    _keys(qtbot, demo_window, Qt.Key.Key_E)  # the case left: what the form holds is added, as before a lock
    assert _question(demo_window) is None and demo_window.stack.currentWidget() is demo_window.case_list
    held = _stored(workspace).investigation.visits
    assert len(held) == visits + 1 and (held[-1].visited_on.isoformat(), [p.name for p in held[-1].participants]) \
        == ("2026-11-30", ["Eva Testsson"])


def test_a_mandate_without_a_name_on_a_step_not_shown_is_asked_about_on_its_step(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _opened(qtbot, demo_window)
    person = workspace.case_page.person
    representatives = len(workspace.opened.person.representatives)
    type_text(person.rep_scope, "Ekonomi och bostad")
    _keys(qtbot, demo_window, Qt.Key.Key_2)
    assert _question(demo_window) is None and workspace.step == "visit"
    _keys(qtbot, demo_window, Qt.Key.Key_E)  # the case left: the add is tried, refused without a name
    text = _answer(qtbot, demo_window, "Stanna kvar")
    assert text.startswith("Det du skrev i ”Uppdrag (omfattning)” kunde inte läggas till.")
    assert workspace.step == "case" and demo_window.stack.currentWidget() is workspace
    assert QApplication.focusWidget() is person.rep_scope and person.rep_scope.text() == "Ekonomi och bostad"
    assert person.representatives.error.text() == "Skriv företrädarens namn."
    _keys(qtbot, demo_window, Qt.Key.Key_E)
    _answer(qtbot, demo_window, "Lämna")
    assert demo_window.stack.currentWidget() is demo_window.case_list
    assert len(workspace.opened.person.representatives) == representatives


def test_a_lock_keeps_a_mandate_without_a_name_typed_on_a_step_not_shown(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _opened(qtbot, demo_window)
    representatives = len(workspace.opened.person.representatives)
    type_text(workspace.case_page.person.rep_scope, "Ekonomi och bostad")
    _keys(qtbot, demo_window, Qt.Key.Key_2)
    workspace = _locked_and_unlocked(qtbot, demo_window)
    person = workspace.case_page.person
    assert workspace.step == "case" and person.rep_scope.text() == "Ekonomi och bostad"
    assert person.representatives.error.text() == "Skriv företrädarens namn."
    assert len(workspace.opened.person.representatives) == representatives


def test_a_quit_asking_nothing_adds_what_can_be_added_and_logs_the_refused_add(qtbot, demo_window, caplog) -> None:  # type: ignore[no-untyped-def]
    """SIGTERM or the session's end (``end_session``, then Qt's close): a visit typed on a step not shown is added and
    saved; a mandate without a name cannot be, and the log counts it among the refused texts lost (no text). Before,
    the count was taken before the adds were tried, so the log said nothing of it (fails on s20-leftovers)."""
    workspace = _opened(qtbot, demo_window)
    visits = workspace.opened.case.investigation.visits
    before = len(visits)
    type_text(workspace.case_page.person.rep_scope, "Ekonomi och bostad")
    _keys(qtbot, demo_window, Qt.Key.Key_2)
    type_text(workspace.visit_page.participants, "Eva Testsson – dotter")
    _keys(qtbot, demo_window, Qt.Key.Key_3)
    demo_window.end_session()  # what ui.app._quit_without_questions and commitDataRequest do
    demo_window.close()
    assert _question(demo_window) is None and not demo_window.isVisible()
    lost = [record for record in caplog.records if record.getMessage() == "quit with refused texts"]
    assert [getattr(record, "count", None) for record in lost] == [1]
    assert not any("Ekonomi" in str(vars(record)) for record in caplog.records)
    assert [p.name for p in visits[before].participants] == ["Eva Testsson"]  # added, and saved:
    assert not [record for record in caplog.records if record.getMessage() == "quit with a change not saved"]
