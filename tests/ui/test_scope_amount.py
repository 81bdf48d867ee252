"""The scope (omfattning) typed into a proposal is printed and shown again as typed, and a number out of range says
its limit. "8,004" printed as "8, timmar per månad", and a reopened case showed "1234,5678" as "1234,57"."""

from __future__ import annotations

import pytest
from test_draft_issuer import draft_text
from uihelpers import paste, type_text, unlock


def _proposal_editor(qtbot, window):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    case_id = next(s.case_id for s in window.session.summaries() if s.case_number == "DEMO-2026-0001")
    window.open_case(case_id)
    window.workspace.go_to("proposal")
    return window.workspace.proposal_page.editors[0], case_id


@pytest.mark.parametrize(("typed", "printed"), [("8,004", "8,004 timmar"), ("0,001", "0,001 timmar"),
                                                ("9999,999", "9999,999 timmar")])
def test_a_scope_with_more_than_two_decimals_prints_as_typed(qtbot, demo_window, typed, printed):  # type: ignore[no-untyped-def]
    editor, _ = _proposal_editor(qtbot, demo_window)
    editor.amount.clear()
    type_text(editor.amount, typed)
    assert editor.amount_error.text() == ""
    text = draft_text(qtbot, demo_window)
    assert printed in text
    assert ", timmar" not in text, "no number ends in a bare decimal comma"


def test_a_reopened_case_shows_the_scope_as_typed(qtbot, demo_window):  # type: ignore[no-untyped-def]
    editor, case_id = _proposal_editor(qtbot, demo_window)
    editor.amount.clear()
    type_text(editor.amount, "1234,5678")
    demo_window.workspace.save_now()
    demo_window.open_case(case_id)
    demo_window.workspace.go_to("proposal")
    assert demo_window.workspace.proposal_page.editors[0].amount.text() == "1234,5678"


def test_a_scope_above_the_limit_says_the_limit_and_keeps_the_stored_scope(qtbot, demo_window):  # type: ignore[no-untyped-def]
    editor, _ = _proposal_editor(qtbot, demo_window)
    before = editor._proposal.scope.amount
    paste(qtbot, editor.amount, "20000")
    # The figure as every limit is written (a no-break space: a line break never splits it), from the rule's constant.
    assert editor.amount_error.text() == "Omfattningen får vara högst 10\u00a0000 och inte negativ."
    assert editor.amount.text() == "20000", "what was typed stays"
    assert editor._proposal.scope.amount == before


def test_follow_up_hours_above_the_limit_say_the_limit(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_id = next(s.case_id for s in demo_window.session.summaries() if s.case_number == "DEMO-2025-0117")
    demo_window.open_case(case_id)
    demo_window.workspace.go_to("follow_up")
    page = demo_window.workspace.follow_up_page
    paste(qtbot, page.time.performed, "20000")
    assert page.time.error.text() == "Timmarna får vara högst 10\u00a0000 och inte negativa."
    assert page._current.time_comparisons[0].performed_minutes == 5_520, "the stored comparison is kept"


def test_a_scope_typed_as_minus_zero_prints_and_shows_as_zero(qtbot, demo_window):  # type: ignore[no-untyped-def]
    # Every decimal as typed must not keep the sign of a negative zero: "-0" printed "-0 timmar per månad".
    editor, case_id = _proposal_editor(qtbot, demo_window)
    editor.amount.clear()
    type_text(editor.amount, "-0,0")
    assert editor.amount_error.text() == ""
    text = draft_text(qtbot, demo_window)
    assert "Omfattning 0 timmar per månad" in text and "-0 timmar" not in text
    demo_window.workspace.save_now()
    demo_window.open_case(case_id)
    demo_window.workspace.go_to("proposal")
    assert demo_window.workspace.proposal_page.editors[0].amount.text() == "0"


# Spaces that do not group thousands (a slip of the finger), Python's own digit separator, an exponent, digits of
# another script: main and s25-probe read each as a number (1040 or 1000) without a word.
NOT_AMOUNTS = ["10 40", "1 0 4 0", "1 04", "1_040", "1e3", "\u0661\u0660\u0664\u0660"]


@pytest.mark.parametrize("typed", NOT_AMOUNTS)
def test_a_scope_with_spaces_not_grouping_thousands_is_refused_not_read_as_another_number(  # type: ignore[no-untyped-def]
    qtbot, demo_window, typed
):
    editor, _ = _proposal_editor(qtbot, demo_window)
    before = editor._proposal.scope.amount
    paste(qtbot, editor.amount, typed)
    assert editor.amount_error.text() == "Skriv omfattningen som ett tal, till exempel 8 eller 8,5."
    assert editor.amount.text() == typed and editor._proposal.scope.amount == before
    paste(qtbot, editor.amount, "1\u00a0040,5")  # thousands grouped as Swedish formatting does are read
    assert editor.amount_error.text() == "" and editor._proposal.scope.amount == 1040.5


@pytest.mark.parametrize("typed", NOT_AMOUNTS)
def test_follow_up_hours_with_spaces_not_grouping_thousands_are_refused(qtbot, demo_window, typed):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_id = next(s.case_id for s in demo_window.session.summaries() if s.case_number == "DEMO-2025-0117")
    demo_window.open_case(case_id)
    demo_window.workspace.go_to("follow_up")
    page = demo_window.workspace.follow_up_page
    paste(qtbot, page.time.granted, typed)
    assert page.time.error.text() == (
        "Skriv timmarna som tal, till exempel 104 eller 92,5, eller som timmar och minuter, till exempel 92:20.")
    assert page._current.time_comparisons[0].granted_minutes == 6_240, "the stored comparison is kept"
    paste(qtbot, page.time.granted, "1 040")
    assert page.time.error.text() == "" and page._current.time_comparisons[0].granted_minutes == 62_400
