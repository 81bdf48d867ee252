"""Autosave diffs only what the form changed (issue 14), and everything else still reaches the file.

Typing goes through the real widgets; the debounce or a focus change triggers the save; what was written is read
from the profile's own connection (an SQL trace) and from the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from uihelpers import type_text, unlock

WHOLE_DIFF_READ = "SELECT v.version, t.valid, v.updated_at"  # only the save that diffs the whole case reads this


@contextmanager
def traced(window: Any) -> Iterator[list[str]]:
    """Every SQL statement the window's profile runs inside the block."""
    statements: list[str] = []
    with window.session.profile._db.reading() as connection:
        connection.set_trace_callback(statements.append)
    try:
        yield statements
    finally:
        with window.session.profile._db.reading() as connection:
            connection.set_trace_callback(None)


def _open(qtbot: Any, window: Any, case_number: str) -> Any:
    from PySide6.QtCore import QThreadPool

    unlock(qtbot, window)
    # The day's upkeep (deadlines, backup) starts on a worker once the list is painted: let it finish, so what is
    # traced below is the autosave alone.
    qtbot.waitUntil(lambda: window._upkeep_job is not None)
    QThreadPool.globalInstance().waitForDone()
    case_id = next(s.case_id for s in window.session.summaries() if s.case_number == case_number)
    window.open_case(case_id)
    return window.workspace


def _pending(window: Any) -> list[tuple[str, str]]:
    with window.session.profile._db.reading() as connection:
        return list(connection.execute(
            "SELECT path, value FROM journal WHERE state = 'pending' AND record_type = 'case' ORDER BY seq"
        ).fetchall())


def test_typing_in_a_life_area_saves_that_field_without_diffing_the_whole_case(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open(qtbot, demo_window, "DEMO-2026-0001")
    workspace.go_to("areas", "d4")
    form = workspace.area_form
    form.own.setFocus()
    type_text(form.own, " första")
    form.need.setFocus()  # saved at once
    assert not workspace.has_unsaved_changes
    with traced(demo_window) as statements, qtbot.waitSignal(workspace.saved, timeout=5_000):
        type_text(form.need, "andra")  # the debounce saves it
        # The binder named the field it set, so the save dumps and diffs that field alone.
        assert [(type(item).__name__, item.names) for item in workspace._changes.objects] == [
            ("FieldsOf", frozenset({"need"}))]
    assert not any(s.startswith(WHOLE_DIFF_READ) for s in statements), "the whole case was diffed"
    assert not any("people" in s or "person_documents" in s for s in statements), "the person was written"
    path, value = _pending(demo_window)[-1]
    assert path == "investigation/assessments/d4/need"
    assert value.startswith('"andra')  # the whole new text of the field
    stored = demo_window.session.profile.cases.load(workspace.opened.case.id)
    assert stored.investigation.assessment_for("d4").need.startswith("andra")
    assert stored.investigation.assessment_for("d4").own_description.startswith(" första")


def test_a_person_edit_saves_the_person_and_leaves_the_case_alone(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open(qtbot, demo_window, "DEMO-2026-0001")
    section = workspace.case_page.person
    section.phone.setFocus()
    type_text(section.phone, "0")
    section.street.setFocus()  # the first save after a page loaded diffs everything
    with traced(demo_window) as statements, qtbot.waitSignal(workspace.saved, timeout=5_000):
        type_text(section.street, " 4")
    updates = [s[:200] for s in statements
               if s.startswith(("UPDATE cases", "UPDATE case_versions", "UPDATE case_documents"))]
    assert not updates
    person = demo_window.session.profile.people.load(workspace.opened.person.id)
    assert person.address.street.endswith(" 4")
    assert person.phone.endswith("0")


def test_what_a_page_adds_as_it_loads_is_saved_with_the_next_edit(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open(qtbot, demo_window, "DEMO-2026-0002")  # one applied item, no proposal yet
    workspace.go_to("visit")
    page = workspace.visit_page
    page.situation.setFocus()
    type_text(page.situation, "y")
    page.information.setFocus()  # saved: from here on the workspace knows what changes
    workspace.go_to("proposal")  # the page adds a proposal for the item, without an edit
    workspace.go_to("visit")
    page.situation.setFocus()
    with qtbot.waitSignal(workspace.saved, timeout=5_000):
        type_text(page.situation, "x")
    stored = demo_window.session.profile.cases.load(workspace.opened.case.id)
    assert len(stored.proposals) == 1
    assert sorted(stored.investigation.situation) == ["x", "y"]
