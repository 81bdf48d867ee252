"""Leaving a field whose text the model refused (too long for ibic.limits, an impossible date) asks first: Ctrl+E,
Ctrl+T, Ctrl+Q or the close button, another life area (Ctrl+PgDown, the navigator) or step (Ctrl+2). Stanna kvar
(the default, Esc) keeps the page with the text and puts the focus on the field; Lämna goes, and the text gives way
to what is stored, on the hidden page too, so a later lock has nothing of it to keep. Before, each of these dropped
the text without a word. The idle lock never asks (it keeps the text: test_refused_text_kept.py). A sync pulling the
open case while the question is open: tests/sync/test_leave_question_during_sync.py (a real server)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from test_refused_text_kept import TOO_LONG, TOO_LONG_MESSAGE, _holds, _keys, _shown_errors, _too_long_in_an_area
from uihelpers import type_text, unlock, when_shown

from ui.workspace.leaving import QUESTION_NAME

NO_DATE = "Datumet finns inte. Skriv det som ÅÅÅÅ-MM-DD."


def _question(window: Any) -> QMessageBox | None:
    # Every window's children too: a question asked by a workspace taken out of the window is no child of it.
    boxes = [*window.findChildren(QMessageBox, QUESTION_NAME),
             *(box for top in QApplication.topLevelWidgets() for box in top.findChildren(QMessageBox, QUESTION_NAME))]
    shown = list({id(box): box for box in boxes if box.isVisible()}.values())
    assert len(shown) <= 1
    return shown[0] if shown else None


def _answer(qtbot: Any, window: Any, answer: str) -> str:
    """Answer the open question with the keys (Esc, Enter) or by clicking the button named ``answer``; its text."""
    box = _question(window)
    assert box is not None, "no question was asked"
    text = box.text()
    if answer in ("Esc", "Enter"):
        qtbot.keyClick(box, Qt.Key.Key_Escape if answer == "Esc" else Qt.Key.Key_Return)
    else:
        [button] = [button for button in box.buttons() if button.text() == answer]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _question(window) is None)
    return text


def _stays_with_the_text(window: Any, workspace: Any) -> None:
    form = workspace.area_form
    assert window.stack.currentWidget() is workspace and form.heading.text() == "Personlig vård"
    assert _holds(form.own, TOO_LONG) and _shown_errors(form) == [TOO_LONG_MESSAGE]
    assert QApplication.focusWidget() is form.own


def test_ctrl_e_asks_esc_stays_on_the_field_and_lamna_goes_to_the_list(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _too_long_in_an_area(qtbot, demo_window)
    stored = workspace.opened.case.investigation.assessment_for("d5").own_description
    workspace.area_form.resources.setFocus()  # the focus away from the field: staying brings it back
    _keys(qtbot, demo_window, Qt.Key.Key_E)
    text = _answer(qtbot, demo_window, "Esc")
    assert text == ("Texten i ”Den enskildes egen beskrivning” kunde inte sparas (för lång).\n"
                    "Lämna ändå? Texten går förlorad.")
    _stays_with_the_text(demo_window, workspace)
    _keys(qtbot, demo_window, Qt.Key.Key_T)  # Ctrl+T asks too; Enter is Stanna kvar
    _answer(qtbot, demo_window, "Enter")
    _stays_with_the_text(demo_window, workspace)
    _keys(qtbot, demo_window, Qt.Key.Key_E)
    _answer(qtbot, demo_window, "Lämna")
    assert demo_window.stack.currentWidget() is demo_window.case_list
    qtbot.keyClick(demo_window.case_list.table, Qt.Key.Key_Return)  # the same case again: what is stored
    form = demo_window.workspace.area_form
    demo_window.workspace.go_to("areas", "d5")
    assert _holds(form.own, stored) and _shown_errors(form) == []


def test_ctrl_q_asks_stays_then_closes_on_lamna(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _too_long_in_an_area(qtbot, demo_window)
    _keys(qtbot, demo_window, Qt.Key.Key_Q)
    _answer(qtbot, demo_window, "Stanna kvar")
    assert demo_window.isVisible() and demo_window.session is not None
    _stays_with_the_text(demo_window, workspace)
    demo_window.close()  # the close button's way: a close event
    _answer(qtbot, demo_window, "Lämna")
    assert not demo_window.isVisible() and demo_window.session is None


def test_another_life_area_asks_and_staying_keeps_the_area_in_the_navigator(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _too_long_in_an_area(qtbot, demo_window)
    _keys(qtbot, demo_window, Qt.Key.Key_PageDown)
    _answer(qtbot, demo_window, "Esc")
    _stays_with_the_text(demo_window, workspace)
    navigator = workspace.navigator
    assert "Personlig vård" in navigator.currentItem().text(0)
    navigator.setFocus()
    qtbot.keyClick(navigator, Qt.Key.Key_Down)  # the next row of the navigator: asks
    _answer(qtbot, demo_window, "Esc")
    _stays_with_the_text(demo_window, workspace)
    assert "Personlig vård" in navigator.currentItem().text(0)
    _keys(qtbot, demo_window, Qt.Key.Key_PageDown)
    _answer(qtbot, demo_window, "Lämna")
    assert workspace.area_form.heading.text() != "Personlig vård" and _shown_errors(workspace.area_form) == []


def test_the_same_area_again_neither_asks_nor_drops_the_text(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _too_long_in_an_area(qtbot, demo_window)
    _keys(qtbot, demo_window, Qt.Key.Key_3)  # Ctrl+3: the kartläggning, the area shown
    assert _question(demo_window) is None
    assert _holds(workspace.area_form.own, TOO_LONG) and _shown_errors(workspace.area_form) == [TOO_LONG_MESSAGE]


def _impossible_date_on_the_case_page(qtbot: Any, window: Any) -> tuple[Any, Any]:
    unlock(qtbot, window)
    window.open_case(window.case_list.model.summary(0).case_id)
    workspace = window.workspace
    field = workspace.case_page.findChild(QWidget, "applicationReceivedOn")
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(field, "2026-02-30")
    assert _shown_errors(workspace.case_page) == [NO_DATE]
    return workspace, field


def test_another_step_asks_about_an_impossible_date_and_lamna_leaves_no_hidden_text_to_lock(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace, field = _impossible_date_on_the_case_page(qtbot, demo_window)
    stored = workspace.opened.case.application.received_on
    _keys(qtbot, demo_window, Qt.Key.Key_2)
    text = _answer(qtbot, demo_window, "Esc")
    assert text.startswith("Texten i ”") and "(ogiltigt datum)" in text
    assert workspace.step == "case" and field.text() == "2026-02-30" and QApplication.focusWidget() is field
    _keys(qtbot, demo_window, Qt.Key.Key_2)
    _answer(qtbot, demo_window, "Lämna")
    assert workspace.step == "visit"
    # The case page, hidden now, shows what is stored: a lock has no text of it to keep or lose.
    assert field.text() == (stored.isoformat() if stored else "") and _shown_errors(workspace.case_page) == []
    assert workspace.refused_texts() is None
    with qtbot.waitSignal(demo_window.locked, timeout=5_000):
        _keys(qtbot, demo_window, Qt.Key.Key_L)
    unlock(qtbot, demo_window)
    _keys(qtbot, demo_window, Qt.Key.Key_1)
    page = demo_window.workspace.case_page
    assert page.findChild(QWidget, "applicationReceivedOn").text() == (stored.isoformat() if stored else "")
    assert _question(demo_window) is None and _shown_errors(page) == []


def _idle_lock(qtbot: Any, window: Any) -> None:
    window.idle.set_interval_ms(200)
    window.idle.start()
    with qtbot.waitSignal(window.locked, timeout=5_000):
        pass


def test_the_idle_lock_asks_nothing_and_keeps_the_text(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    _too_long_in_an_area(qtbot, demo_window)
    _idle_lock(qtbot, demo_window)
    assert _question(demo_window) is None
    unlock(qtbot, demo_window)
    assert _holds(demo_window.workspace.area_form.own, TOO_LONG)


def test_a_lock_while_the_question_is_open_keeps_the_text(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    _too_long_in_an_area(qtbot, demo_window)
    _keys(qtbot, demo_window, Qt.Key.Key_E)
    assert _question(demo_window) is not None
    _idle_lock(qtbot, demo_window)
    assert _question(demo_window) is None
    unlock(qtbot, demo_window)
    form = demo_window.workspace.area_form
    assert _holds(form.own, TOO_LONG) and _shown_errors(form) == [TOO_LONG_MESSAGE]


TERMINATED_WITH_A_REFUSED_TEXT = """
import json, os, signal, sys
from PySide6.QtCore import QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
original_exec = QApplication.exec
report = {}
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def listed():
        window.open_case(window.case_list.model.row(0).case_id)
        opened()
    def opened():
        if window.workspace is None:  # the first case waits for the models (ui.case_opening)
            QTimer.singleShot(10, opened)
            return
        window.workspace.go_to("areas", "d5")
        window.workspace.area_form.own.setPlainText("x" * 200_001)
        report["refused"] = len(window.workspace.refused_fields())
        if sys.argv[3] == "asked":
            window.action_list.trigger()  # Ctrl+E: the question opens, and nobody answers it
            report["asked"] = len([box for box in window.findChildren(QMessageBox) if box.isVisible()])
        os.kill(os.getpid(), signal.SIGTERM)  # as a logout or shutdown sends it
    window.unlocked.connect(lambda: QTimer.singleShot(0, listed))
    window.unlock_panel.passphrase_edit.insert(sys.argv[2])
    QTest.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
def exec_and_drive():
    QTimer.singleShot(0, drive)
    result = original_exec()
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    report["questions"] = len([box for box in QApplication.topLevelWidgets() + [
        child for w in QApplication.topLevelWidgets() for child in w.findChildren(QMessageBox)]
        if isinstance(box, QMessageBox) and box.isVisible()])
    report["closed"] = window.session is None and not window.isVisible()
    print("REPORT", json.dumps(report))
    return result
QApplication.exec = staticmethod(exec_and_drive)
import main
main.main(["--profile", sys.argv[1]])
"""


def test_sigterm_quits_without_asking_though_a_text_is_refused(demo_profile_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A logout or shutdown (SIGTERM) must end the program: Qt's quit gives up when a window ignores its close, so
    the question would keep it running (guard: main asked nothing at all)."""
    from app_child import run_app_script, tagged
    from uihelpers import PASSPHRASE

    output = run_app_script(TERMINATED_WITH_A_REFUSED_TEXT, str(demo_profile_dir), PASSPHRASE, "", home=tmp_path)
    assert tagged(output, "REPORT") == {"refused": 1, "questions": 0, "closed": True}


def test_sigterm_while_the_question_is_open_quits(demo_profile_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The question open (Ctrl+E) and nobody there to answer it when a logout sends SIGTERM: the program ends, the
    window closed with its store (the question's window-modal box does not keep Qt's quit from closing it)."""
    from app_child import run_app_script, tagged
    from uihelpers import PASSPHRASE

    output = run_app_script(TERMINATED_WITH_A_REFUSED_TEXT, str(demo_profile_dir), PASSPHRASE, "asked",
                            home=tmp_path)
    assert tagged(output, "REPORT") == {"refused": 1, "asked": 1, "questions": 0, "closed": True}


def _cases(window: Any) -> int:
    session = window.session
    return len(session.profile.cases.list_summaries(today=session.today()))


def _new_case_dialog() -> Any:
    shown = [w for w in QApplication.topLevelWidgets() if w.objectName() == "newCaseDialog" and w.isVisible()]
    return shown[0] if shown else None


def _fill_new_case(qtbot: Any, dialog: Any) -> None:
    type_text(dialog.given_name, "Ny")
    type_text(dialog.family_name, "Testperson")
    type_text(dialog.personal_number, "20170101-2393")  # a test personnummer (fictitious), not in the demo
    qtbot.keyClick(dialog.personal_number, Qt.Key.Key_Return)


def test_ctrl_n_asks_before_the_new_case_dialog_and_staying_creates_no_case(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """Before, Ctrl+N opened Ny ärende at once; its OK created the case, then the question came, and Stanna kvar
    left a case made though the person stayed (and not opened)."""
    workspace = _too_long_in_an_area(qtbot, demo_window)
    before = _cases(demo_window)
    opened_first: list[bool] = []

    def filled_at_once(dialog: Any) -> None:  # the fault: the dialog came before the question
        opened_first.append(True)
        _fill_new_case(qtbot, dialog)

    QTimer.singleShot(0, lambda: filled_at_once(_new_case_dialog()) if _new_case_dialog() else None)
    _keys(qtbot, demo_window, Qt.Key.Key_N)
    _answer(qtbot, demo_window, "Stanna kvar")
    assert _cases(demo_window) == before, "a case created though the person stayed"
    assert opened_first == []
    _stays_with_the_text(demo_window, workspace)
    when_shown("newCaseDialog", lambda dialog: _fill_new_case(qtbot, dialog))
    _keys(qtbot, demo_window, Qt.Key.Key_N)
    _answer(qtbot, demo_window, "Lämna")  # Ny ärende opens on the next turn, once the question has closed
    qtbot.waitUntil(lambda: _cases(demo_window) == before + 1)
    assert demo_window.workspace.opened.person.personal_number == "201701012393"
    assert _question(demo_window) is None


def test_a_quit_asking_nothing_logs_the_change_it_could_not_save(qtbot, demo_window, caplog) -> None:  # type: ignore[no-untyped-def]
    """SIGTERM or the session's end (end_session, then Qt's close) skips the "Not saved" question: the change whose
    save the store refused is lost as it was at the SIGKILL that followed the unanswered question, but the log says
    so, by the error's type, with no text (before, nothing was logged)."""
    from test_save_onto_hidden_case import _typed_into_a_case_withdrawn_and_pulled_back

    workspace, _central = _typed_into_a_case_withdrawn_and_pulled_back(qtbot, demo_window)
    assert workspace.has_unsaved_changes
    demo_window.end_session()  # what ui.app._quit_without_questions and commitDataRequest do
    demo_window.close()
    assert not demo_window.isVisible() and demo_window.session is None
    lost = [record for record in caplog.records if record.getMessage() == "quit with a change not saved"]
    assert [getattr(record, "error_type", None) for record in lost] == ["RecordArriving"]
    assert not any("flytten" in str(vars(record)) for record in caplog.records)


def test_lamna_leaves_once_though_a_lock_follows_before_the_answered_question_is_deleted(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """The answered box waits for the event loop to be deleted; a lock at once (Ctrl+L) rejects every dialog still
    there, and the answer ran again: Lämna's leave (to the Att göra list) a second time, inside the lock. Fails
    without the question's answer running once (``ui.workspace.leaving.ask_before_leaving``)."""
    left: list[object] = []
    show_case_list = demo_window.show_case_list
    demo_window.show_case_list = lambda *args: (left.append(args), show_case_list(*args))  # a spy on the leave
    _too_long_in_an_area(qtbot, demo_window)
    _keys(qtbot, demo_window, Qt.Key.Key_T)
    _answer(qtbot, demo_window, "Lämna")
    assert demo_window.stack.currentWidget() is demo_window.case_list
    times = len(left)
    with qtbot.waitSignal(demo_window.locked, timeout=5_000):
        _keys(qtbot, demo_window, Qt.Key.Key_L)
    assert len(left) == times
