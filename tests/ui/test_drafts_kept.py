"""Texts the case does not hold (an add form's text not added, a text a save refused) are kept as drafts in the
encrypted profile (ui.workspace.drafts, storage.drafts): a SIGKILL after the autosave's debounce, or right after the
OS session's end (``end_session``, what ``commitDataRequest`` calls), loses none of them; opening the case again
types them back with a notice and adds nothing. A draft goes when its text is added or cleared, or its case leaves
the laptop, and no plaintext of it is written outside the database. On main each of these texts was lost with the
process (the session's end: "lost as at a SIGKILL"): the kill tests fail there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app_child import RUN_MAIN_THEN_DRIVE
from PySide6.QtCore import Qt
from test_refused_text_kept import TOO_LONG, TOO_LONG_MESSAGE, _holds, _keys, _shown_errors
from uihelpers import PASSPHRASE, paste, type_text, unlock

from storage.profile import unlock_profile

REPO = Path(__file__).resolve().parents[2]
NOTICE = "Text som du hade skrivit men inte lagt till eller sparat har återställts."
# Pasted after the marker: over any field's limit. Words, not one unbroken run: Qt laid out a 200,000-character run
# with no break in about 2 s each time the field's height changed (a message shown under it), and the child spent
# 10 s there, 120 s under load, for nothing these tests ask (a text area lays such a run out wrapped anywhere since
# s32-edges: tests/ui/test_long_run_paste.py).
OVERLONG = " -" * 100_001

# The start of a child that reports and then SIGKILLs itself (``finish``): argument 3 is its mode, 4 its marker.
KILLED_CHILD_START = """
import json, os, signal, sys
from PySide6.QtCore import QTimer, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
original_exec = QApplication.exec
mode, marker = sys.argv[3], sys.argv[4]
OVERLONG = " -" * 100_001  # the test's OVERLONG

def finish(report):
    print("REPORT", json.dumps(report), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

def finish_when(ready, report):
    if ready():
        finish(report)
    else:
        QTimer.singleShot(50, lambda: finish_when(ready, report))
"""

# The child opens Greta's case from the list and types into the Visit step's add form (Participants), then either
# types an other's description in a life area and waits until the debounce has written both drafts ("debounce"), or
# pastes a delområde text past the limit and ends the session at once, before any debounce ("session"); then it
# SIGKILLs itself. Argument 3 is the mode, 4 the marker its texts start with.
CHILD = KILLED_CHILD_START + """
def follow_up_goal(workspace, drafts, case_id):
    # A second follow-up added (and shown), then the first one chosen again: its goal typed, not added.
    workspace.go_to("follow_up")
    page = workspace.follow_up_page
    QTest.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)
    page.follow_ups.listing.setCurrentRow(0)
    first = page._current.id
    QTest.keyClicks(page.goal_text, marker + " handla mat")
    def written():
        if marker in drafts.read(case_id):
            finish({"case_id": case_id, "follow_up": first})
        else:
            QTimer.singleShot(50, written)
    written()

def proposal_refused(workspace, drafts, case_id):
    # The first proposal's motivation pasted past its limit: refused, kept as a draft.
    workspace.go_to("proposal")
    field = workspace.proposal_page.editors[0].motivation
    field.setFocus()
    QGuiApplication.clipboard().setText(marker + OVERLONG)
    QTest.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    def written():
        if marker in drafts.read(case_id):
            finish({"case_id": case_id, "item": workspace.opened.case.application.items[0].id})
        else:
            QTimer.singleShot(50, written)
    written()

def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def listed():
        if mode == "proposal":  # Tolvan's home visit: two applied items, so two proposals
            window.open_case(next(s.case_id for s in window.session.summaries() if s.case_number == "DEMO-2026-0001"))
        else:
            QTest.keyClicks(window.case_list.search, "tolvan" if mode == "follow_up" else "greta")
            QTest.keyClick(window.case_list.search, Qt.Key.Key_Return)
        opened()
    def opened():
        if window.workspace is None:  # the first case waits for the models (ui.case_opening)
            QTimer.singleShot(10, opened)
            return
        workspace = window.workspace
        drafts, case_id = window.session.profile.drafts, workspace.opened.case.id
        if mode == "follow_up":
            follow_up_goal(workspace, drafts, case_id)
            return
        if mode == "proposal":
            proposal_refused(workspace, drafts, case_id)
            return
        workspace.go_to("visit")
        QTest.keyClicks(workspace.visit_page.participants, marker + " Eva - dotter")
        if mode == "debounce":
            workspace.go_to("areas", "d5")
            QTest.keyClicks(workspace.area_form.others.text, marker + " grannen handlar")
            def written():
                if drafts.read(case_id).count(marker) == 2:
                    finish({"case_id": case_id})
                else:
                    QTimer.singleShot(50, written)
            written()
            return
        workspace.go_to("areas", "d4")
        row = workspace.area_form.sub_areas.row_of("d465")
        QTest.keyClick(row.chosen, Qt.Key.Key_Space)
        row.text.setFocus()
        QGuiApplication.clipboard().setText(marker + OVERLONG)
        QTest.keyClick(row.text, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        before = drafts.read(case_id)
        window.end_session()  # what commitDataRequest and SIGTERM call; the session may kill the program next
        finish({"case_id": case_id, "before": before, "refused": len(workspace.refused_fields())})
    def listed_or_said():
        try:
            listed()
        except Exception as error:  # said, and the child ends: a program without drafts fails here
            finish({"error": type(error).__name__})
    window.unlocked.connect(lambda: QTimer.singleShot(0, listed_or_said))
    window.unlock_panel.passphrase_edit.insert(sys.argv[2])
    QTest.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
""" + RUN_MAIN_THEN_DRIVE


def _killed_child(profile_dir: Path, home: Path, mode: str, marker: str, script: str = CHILD) -> dict[str, Any]:
    """Run the child (``script``, by default ``CHILD``) until it kills itself; its report. Its own config, data,
    state, cache and temp folders."""
    from app_child import FOLDERS, tagged

    folders = {name: str(home / name.lower()) for name in (*FOLDERS, "TMPDIR")}
    Path(folders["TMPDIR"]).mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "-c", script, str(profile_dir), PASSPHRASE, mode, marker], cwd=REPO, capture_output=True,
        text=True, timeout=120,
        env={**os.environ, **folders, "SQLITE_TMPDIR": folders["TMPDIR"], "PYTHONPATH": str(REPO),
             "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == -signal.SIGKILL, result.stderr[-3000:]
    assert marker not in result.stdout + result.stderr  # nor in what it printed or logged there
    report: dict[str, Any] = tagged(result.stdout, "REPORT")
    return report


def _files_holding(marker: str, *folders: Path) -> list[str]:
    """The files under ``folders`` that hold the marker in the clear (UTF-8 or UTF-16)."""
    needles = [marker.encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be")]
    paths = [Path(top, name) for folder in folders for top, _dirs, names in os.walk(folder) for name in names]
    return [str(path) for path in paths if any(needle in path.read_bytes() for needle in needles)]


def _open_greta(qtbot: Any, window: Any) -> Any:
    unlock(qtbot, window)
    type_text(window.case_list.search, "greta")
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    return window.workspace


def test_a_kill_after_the_debounce_keeps_an_add_forms_text_and_an_others_description(  # type: ignore[no-untyped-def]
        qtbot, request, demo_profile_dir, tmp_path) -> None:
    marker = f"UTKAST{uuid.uuid4().hex}"
    report = _killed_child(demo_profile_dir, tmp_path / "home", "debounce", marker)
    assert _files_holding(marker, demo_profile_dir, tmp_path / "home") == []  # only in the encrypted database
    window = request.getfixturevalue("demo_window")
    workspace = _open_greta(qtbot, window)
    assert workspace.opened.case.id == report["case_id"]
    form = workspace.area_form
    assert (workspace.step, form.heading.text()) == ("areas", "Personlig vård")  # where the description was typed
    assert form.others.text.toPlainText() == marker + " grannen handlar"
    assert workspace.visit_page.participants.text() == marker + " Eva - dotter"
    assert NOTICE in window.statusBar().currentMessage()
    for case in (workspace.opened.case, workspace.session.profile.cases.load(report["case_id"])):
        area = case.investigation.assessment_for("d5")  # nothing added, in the form or stored: only typed back
        assert area is None or not any(marker in other.text for other in area.others)
        assert not any(marker in part.name for visit in case.investigation.visits for part in visit.participants)
    qtbot.mouseClick(form.others.add_button, Qt.MouseButton.LeftButton)  # the person adds it now
    assert [other.text for other in form._assessment.others][-1] == marker + " grannen handlar"


def test_the_session_end_keeps_a_refused_delomrade_text_though_the_kill_comes_at_once(  # type: ignore[no-untyped-def]
        qtbot, request, demo_profile_dir, tmp_path) -> None:
    marker = f"UTKAST{uuid.uuid4().hex}"
    report = _killed_child(demo_profile_dir, tmp_path / "home", "session", marker)
    assert (report["before"], report["refused"]) == ("", 1)  # nothing kept before the session's end
    assert _files_holding(marker, demo_profile_dir, tmp_path / "home") == []
    window = request.getfixturevalue("demo_window")
    workspace = _open_greta(qtbot, window)
    form = workspace.area_form
    row = form.sub_areas.row_of("d465")
    assert (workspace.step, row.text.text()) == ("areas", marker + OVERLONG)
    assert _shown_errors(form) == [f"{row.label.text()}: {TOO_LONG_MESSAGE}"]  # refused again, where it is seen
    assert workspace.visit_page.participants.text() == marker + " Eva - dotter"
    assert NOTICE in window.statusBar().currentMessage()
    stored = workspace.session.profile.cases.load(report["case_id"]).investigation.assessment_for("d4")
    assert stored is None or stored.sub_area("d465") is None or marker not in stored.sub_area("d465").text


def test_a_draft_of_a_case_a_sync_changed_meanwhile_comes_back_over_the_case_as_it_is_now(  # type: ignore[no-untyped-def]
        qtbot, request, demo_profile_dir, tmp_path) -> None:
    """docs/architecture.md, "Drafts": the case opens as the pull left it, the draft typed over it, nothing merged
    or added."""
    from ibic.document_paths import diff
    from storage.sync_state import RemoteChange

    marker = f"UTKAST{uuid.uuid4().hex}"
    report = _killed_child(demo_profile_dir, tmp_path / "home", "debounce", marker)
    other = unlock_profile(demo_profile_dir, PASSPHRASE)  # a sync before the case is opened again
    try:
        case = other.cases.load(report["case_id"])
        before = case.model_dump(mode="json")
        case.investigation.situation = "Ändrat på servern."
        edits = diff(before, case.model_dump(mode="json"))
        other.sync.apply_remote([RemoteChange("case", case.id, edit.path, "set", edit.value, 1, seq, uuid.uuid4().hex)
                                 for seq, edit in enumerate(edits, start=1)], new_cursor=len(edits))
    finally:
        other.lock()
    window = request.getfixturevalue("demo_window")
    workspace = _open_greta(qtbot, window)
    assert workspace.area_form.others.text.toPlainText() == marker + " grannen handlar"
    assert workspace.visit_page.participants.text() == marker + " Eva - dotter"
    assert workspace.visit_page.situation.text() == "Ändrat på servern."
    assert workspace.opened.case.investigation.situation == "Ändrat på servern."
    assert not any(marker in part.name for visit in workspace.opened.case.investigation.visits
                   for part in visit.participants)


def _pulled(profile_dir: Path, case_id: str, change: Callable[[Any], object]) -> Any:
    """The case as a pull that changes it as ``change`` does leaves it, applied while no window is open (between
    a kill and the next start)."""
    from ibic.document_paths import diff
    from storage.sync_state import RemoteChange

    other = unlock_profile(profile_dir, PASSPHRASE)
    try:
        case = other.cases.load(case_id)
        before = case.model_dump(mode="json")
        change(case)
        edits = diff(before, case.model_dump(mode="json"))
        other.sync.apply_remote([RemoteChange("case", case.id, edit.path, edit.op, edit.value, 1, seq,
                                              uuid.uuid4().hex) for seq, edit in enumerate(edits, start=1)],
                                new_cursor=len(edits))
        return other.cases.load(case_id)
    finally:
        other.lock()


def _draft_of(workspace: Any) -> str:
    return str(workspace.session.profile.drafts.read(workspace.opened.case.id))


def test_a_draft_goes_when_its_text_is_added_or_cleared(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open_greta(qtbot, demo_window)
    workspace.go_to("visit")
    page = workspace.visit_page
    type_text(page.participants, "Eva Testsson – dotter")
    qtbot.waitUntil(lambda: "Eva Testsson" in _draft_of(workspace))
    qtbot.mouseClick(page.visits.add_button, Qt.MouseButton.LeftButton)  # added: in the case, out of the draft
    qtbot.waitUntil(lambda: _draft_of(workspace) == "")
    stored = workspace.session.profile.cases.load(workspace.opened.case.id)
    assert [part.name for part in stored.investigation.visits[-1].participants] == ["Eva Testsson"]
    type_text(page.participants, "Grannen")
    qtbot.waitUntil(lambda: "Grannen" in _draft_of(workspace))
    page.participants.setFocus()
    qtbot.keyClick(page.participants, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.participants, Qt.Key.Key_Delete)  # cleared by the person
    qtbot.waitUntil(lambda: _draft_of(workspace) == "")


def test_a_draft_of_a_case_moved_away_is_gone_with_it(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open_greta(qtbot, demo_window)
    profile, case_id = workspace.session.profile, workspace.opened.case.id
    workspace.go_to("visit")
    type_text(workspace.visit_page.participants, "Eva Testsson – dotter")
    qtbot.waitUntil(lambda: profile.drafts.cases() == [case_id])
    assert profile.withdrawals.withdraw([case_id]).removed == (case_id,)  # what a pull of the withdrawal does
    demo_window._after_sync()  # what the sync signal triggers: the case leaves the screen
    assert demo_window.workspace is None and profile.drafts.cases() == []
    with profile._db.reading() as connection:
        assert connection.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0


def test_a_lock_keeps_the_refused_text_as_a_draft_too_and_the_unlock_types_it_back_once(  # type: ignore[no-untyped-def]
        qtbot, demo_window, demo_profile_dir) -> None:
    """Locked, the texts are in the file as well as in memory (a kill while locked loses nothing); the unlock types
    back what it kept in memory, as before, and the draft adds nothing of its own."""
    workspace = _open_greta(qtbot, demo_window)
    case_id = workspace.opened.case.id
    workspace.go_to("areas", "d5")
    paste(qtbot, workspace.area_form.own, TOO_LONG)
    with qtbot.waitSignal(demo_window.locked, timeout=5_000):
        _keys(qtbot, demo_window, Qt.Key.Key_L)
    other = unlock_profile(demo_profile_dir, PASSPHRASE)  # what the next start would read after a kill
    try:
        assert TOO_LONG in other.drafts.read(case_id)
    finally:
        other.lock()
    unlock(qtbot, demo_window)
    form = demo_window.workspace.area_form
    assert _holds(form.own, TOO_LONG) and _shown_errors(form) == [TOO_LONG_MESSAGE]
    assert NOTICE not in demo_window.statusBar().currentMessage()


def test_a_draft_past_its_size_is_kept_cut_and_said_so() -> None:
    """The size limit (docs/architecture.md, "Drafts"): each text up to DRAFT_TEXT_MAX characters, the value within
    what the store keeps even when JSON's escapes double it (a text of line breaks)."""
    from storage.drafts import DRAFT_MAX
    from ui.workspace.drafts import DRAFT_TEXT_MAX, Drafts, decode, draft_notice, encode

    whole = Drafts((("visit", "", "visitParticipants", "Eva Testsson – dotter"),))
    assert decode(encode(whole), "c1") == whole
    long = Drafts((("visit", "", "visitParticipants", "a" * (DRAFT_TEXT_MAX + 5)),
                   ("follow_up", "", "goalText", "\n" * DRAFT_TEXT_MAX)))
    value = encode(long)
    kept = decode(value, "c1")
    assert len(value) <= DRAFT_MAX and kept is not None and kept.cut
    assert kept.typed[0][3] == "a" * len(kept.typed[0][3]) and 0 < len(kept.typed[0][3]) <= DRAFT_TEXT_MAX
    assert draft_notice(kept.cut, str).endswith("A very long text was kept shortened.")


def test_a_follow_ups_goal_comes_back_under_the_follow_up_it_was_typed_for(  # type: ignore[no-untyped-def]
        qtbot, request, demo_profile_dir, tmp_path) -> None:
    """A goal typed for the first of two follow-ups, then a kill: opened again, the page shows that follow-up with
    the goal typed back, and adding it adds it there (on s21-drafts it came back under the last follow-up, the one
    the page shows first, and was added to that one)."""
    marker = f"UTKAST{uuid.uuid4().hex}"
    report = _killed_child(demo_profile_dir, tmp_path / "home", "follow_up", marker)
    window = request.getfixturevalue("demo_window")
    unlock(qtbot, window)
    type_text(window.case_list.search, "tolvan")
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    workspace = window.workspace
    page = workspace.follow_up_page
    assert workspace.opened.case.id == report["case_id"] and workspace.step == "follow_up"
    follow_ups = workspace.opened.case.follow_ups
    assert len(follow_ups) == 2 and follow_ups[0].id == report["follow_up"]
    assert page.follow_ups.listing.currentRow() == 0 and page.goal_text.text() == marker + " handla mat"
    assert NOTICE in window.statusBar().currentMessage()
    qtbot.mouseClick(page.goals.add_button, Qt.MouseButton.LeftButton)  # the person adds it now
    assert [goal.goal for goal in follow_ups[0].goal_results][-1] == marker + " handla mat"
    assert not any(marker in goal.goal for goal in follow_ups[1].goal_results)


def test_a_goal_whose_follow_up_a_sync_removed_comes_back_under_the_one_shown_and_says_so(  # type: ignore[no-untyped-def]
        qtbot, request, demo_profile_dir, tmp_path) -> None:
    """The follow-up the goal was typed for is gone when the case is opened again (a pull removed it): the goal is
    not lost, it is typed under the follow-up the page shows, and the notice says so."""
    marker = f"UTKAST{uuid.uuid4().hex}"
    report = _killed_child(demo_profile_dir, tmp_path / "home", "follow_up", marker)
    left = _pulled(demo_profile_dir, report["case_id"], lambda case: case.follow_ups.pop(0))
    assert [follow_up.id for follow_up in left.follow_ups] != [] and report["follow_up"] not in {
        follow_up.id for follow_up in left.follow_ups}
    window = request.getfixturevalue("demo_window")
    unlock(qtbot, window)
    type_text(window.case_list.search, "tolvan")
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    page = window.workspace.follow_up_page
    assert page.goal_text.text() == marker + " handla mat"  # not lost
    assert "Uppföljningen som texten skrevs för finns inte längre" in window.statusBar().currentMessage()


def test_a_refused_text_of_a_proposal_a_sync_removed_is_typed_into_no_other_proposal(  # type: ignore[no-untyped-def]
        qtbot, request, demo_profile_dir, tmp_path) -> None:
    """A text refused in the first proposal's motivation, then a kill; a pull removes that applied item and its
    proposal. Opened again, the text is typed into no other proposal (on s21-drafts it came back by the binder's
    place on the page, into the next proposal's motivation, which it would replace once shortened); the notice
    says it could not be put back."""
    marker = f"UTKAST{uuid.uuid4().hex}"
    report = _killed_child(demo_profile_dir, tmp_path / "home", "proposal", marker)

    def remove_item(case: Any) -> None:
        case.application.items = [item for item in case.application.items if item.id != report["item"]]
        case.proposals = [p for p in case.proposals if p.application_item_id != report["item"]]

    assert len(_pulled(demo_profile_dir, report["case_id"], remove_item).application.items) == 1
    window = request.getfixturevalue("demo_window")
    unlock(qtbot, window)
    window.open_case(report["case_id"])  # what activating its row in the list calls
    workspace = window.workspace
    editors = workspace.proposal_page.editors
    assert editors and not any(marker in editor.motivation.toPlainText() for editor in editors)
    assert "kunde inte återställas" in window.statusBar().currentMessage()
