"""A new case not yet synced is one pending entry per part (its whole investigation one), so eleven texts within
the model's limit, of 4-byte characters, make a save that one sync request cannot carry: it is refused
(``ChangeTooLarge``) with a Swedish sentence asking to shorten the text, which stays in its field. Ctrl+E then goes to
the list with the text still in the workspace; opening the case from the list must bring the person back to it (it
left them on the list, every case refused, until a sync), and the shortened text is then saved with the rest. The
refusal names the case (number and person on screen, the id in the log): it did not say which case it was."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_home_visit_scenario import _create_profile, _new_case
from test_save_onto_hidden_case import _keys, _quit_letting_go
from uihelpers import paste, type_text

from ibic.limits import LONG_TEXT_MAX

FOUR_BYTES = ("\U0001f600" * 99 + "\n") * (LONG_TEXT_MAX // 100)  # within the limit: 800 KB as UTF-8
VISIT = ("situation", "information", "health", "body_functions", "environment", "personal")
AREA = ("own", "assessment", "need", "resources", "goal")


def test_a_text_refused_as_too_large_to_send_is_reached_again_from_the_list_and_saved_shortened(  # type: ignore[no-untyped-def]
    qtbot, window, caplog
) -> None:
    try:
        _create_profile(qtbot, window)
        _new_case(qtbot, window)
        workspace = window.workspace
        refused: list[BaseException] = []
        workspace.save_failed.connect(refused.append)
        for step, area, fields in (("visit", "", VISIT), ("areas", "d5", AREA)):
            workspace.go_to(step, area)
            page = workspace.visit_page if step == "visit" else workspace.area_form
            for name in fields:
                paste(qtbot, getattr(page, name), FOUR_BYTES)
                assert workspace.save_now() == (name != "goal"), name  # the eleventh is one too many
        assert [type(error).__name__ for error in refused] == ["ChangeTooLarge"]
        message = window.statusBar().currentMessage()
        assert "för stor för att skickas till servern" in message
        # Which case: named on screen by its number and the person; the log names it by its id only.
        number, case_id = workspace.opened.case.case_number, workspace.opened.case.id
        assert message.endswith(f"Gäller ärende {number} (Tolvan Tolvansson).")
        assert [record.case_id for record in caplog.records if "too large" in record.getMessage()] == [case_id]
        assert not any("Tolvan" in str(vars(record)) for record in caplog.records)
        _keys(qtbot, window, Qt.Key.Key_E)
        assert window.stack.currentWidget() is window.case_list
        type_text(window.case_list.search, "tolvan")
        qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)  # the case, from the list
        assert window.stack.currentWidget() is workspace
        form = workspace.area_form
        assert form.isVisible() and form.goal.toPlainText() == FOUR_BYTES  # nothing typed lost
        paste(qtbot, form.goal, "Klara trappan själv.")
        assert workspace.save_now()
        stored = window.session.profile.cases.load(workspace.opened.case.id)
        assert stored.investigation.assessment_for("d5").goal == "Klara trappan själv."
        assert stored.investigation.assessment_for("d5").resources == FOUR_BYTES
    finally:  # a failure above must not leave the window's close waiting in the quit's question
        if window.isVisible() and window.workspace is not None and window.workspace.has_unsaved_changes:
            _quit_letting_go(qtbot, window)
