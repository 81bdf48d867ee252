"""A life area first written whole and not yet synced carries every text typed into it in one journal entry. Past
what one sync request carries (``ibic.limits.CHANGE_MAX_BYTES``, below the server's body limit) the save is refused
with a Swedish sentence and the text stays in the field; after a sync has sent the area, the same text is saved as
an entry of its own and reaches the server. Before, the save was taken and the sync refused with 413 for ever, every
later change waiting behind it (real window, real server and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sync_support import Env, make_laptop, server_documents
from test_main_window_sync import _unlocked_and_listed

from ibic.investigation import SubAreaAssessment
from ibic.limits import CHANGE_MAX_BYTES, LONG_TEXT_MAX
from ibic.reference import load_reference_data
from sync.protocol import MAX_BODY_BYTES
from sync.server.dev import DEMO_USER

LONG = "\U0001f600" * LONG_TEXT_MAX  # the most a long text holds, 800 KB as UTF-8


@pytest.fixture(autouse=True)
def _english(qapp: Any) -> None:
    from ui.i18n import install_language

    install_language("en")


def _sync(qtbot: Any, window: Any) -> None:
    """Ctrl+Shift+S, and its end."""
    controller = window.sync.controller
    before = controller.status.last_synced_at
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: controller.status.last_synced_at != before and not controller.running, timeout=120_000)


def test_a_text_that_would_make_an_unsynced_area_too_large_to_send_is_refused_then_saved_after_a_sync(
    qtbot: Any, env: Env, tmp_path: Path
) -> None:
    window = _unlocked_and_listed(qtbot, env, tmp_path)
    profile = window.session.profile
    case_id = window.case_list.model.summary(0).case_id
    case = profile.cases.load(case_id)
    area_id, codes = next((area.id, [sub.code for sub in area.sub_areas[:6]]) for area in window.session.ref.life_areas
                          if len(area.sub_areas) >= 6 and case.investigation.assessment_for(area.id) is None)
    # Ten long texts typed into an area new on this laptop, not yet synced: one entry of 8 MB, within the bound.
    assessment = case.investigation.ensure_assessment(area_id)
    assessment.own_description = assessment.assessment = assessment.need = assessment.resources = LONG
    assessment.sub_areas = [SubAreaAssessment(code=code, text=LONG) for code in codes]
    profile.cases.save(case)
    [entry] = profile.journal.pending()
    assert entry.path == f"investigation/assessments/{area_id}"

    window.open_case(case_id)
    workspace = window.workspace
    workspace.go_to("areas", area_id)
    goal = workspace.area_form.goal
    goal.setFocus()
    QApplication.clipboard().setText(LONG)
    with qtbot.waitSignal(workspace.save_failed, timeout=30_000):  # the debounce's save: an 8.8 MB entry
        qtbot.keyClick(goal, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "too large to send to the server" in window.statusBar().currentMessage()
    assert goal.toPlainText() == LONG
    assert [change.op_id for change in profile.journal.pending()] == [entry.op_id]  # nothing else written
    assert len(profile.journal.encoded_pending().changes.encode()) <= CHANGE_MAX_BYTES + 2048

    _sync(qtbot, window)  # sends the area as it was saved; the text typed since is saved on its own after it
    qtbot.waitUntil(lambda: not workspace.has_unsaved_changes, timeout=30_000)
    # The text is saved on its own: still pending, or already sent by that same sync when the autosave's retry saved
    # it while the sync was still pushing (CI saw that order); either way the server ends holding both texts.
    assert [change.path for change in profile.journal.pending()] in (
        [f"investigation/assessments/{area_id}/goal"], [])
    _sync(qtbot, window)
    assert window.sync.controller.status.pending == 0
    stored = server_documents(env, DEMO_USER)[("case", case_id)]["investigation"]["assessments"]
    area = next(a for a in stored if a["area_id"] == area_id)
    assert (area["goal"], area["need"]) == (LONG, LONG)
    assert [sub["text"] for sub in area["sub_areas"]] == [LONG] * len(codes)
    window.session.lock() if window.session else None


def test_an_entry_past_the_bound_from_an_earlier_version_is_not_sent_and_a_shorter_text_lets_everything_go(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An 8.8 MB entry journaled before the bound was sent and refused with 413 at every sync ("try later"), every
    later entry behind it: now it is not sent, the window names what to do, and shortening a text of the area
    rewrites the entry within the bound."""
    import storage.journal
    from sync.client.push import push_pending
    from sync.errors import ChangeTooLarge
    from sync.progress import SyncReport
    from ui.errors import sync_message

    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    case = a.profile.cases.load(a.profile.cases.list_summaries()[0].case_id)
    area = next(area for area in load_reference_data().life_areas
                if len(area.sub_areas) >= 6 and case.investigation.assessment_for(area.id) is None)
    assessment = case.investigation.ensure_assessment(area.id)
    assessment.own_description = assessment.assessment = assessment.need = assessment.resources = LONG
    assessment.goal = LONG
    assessment.sub_areas = [SubAreaAssessment(code=sub.code, text=LONG) for sub in area.sub_areas[:6]]
    with monkeypatch.context() as earlier_version:
        earlier_version.setattr(storage.journal, "change_fits", lambda _text: True)
        a.profile.cases.save(case)  # eleven long texts in one entry, as before the bound
    assert len(a.profile.journal.encoded_pending().changes.encode()) > MAX_BODY_BYTES
    with pytest.raises(ChangeTooLarge) as refused:
        push_pending(a.session, a.profile, SyncReport())
    assert "Shorten one of its texts" in sync_message(refused.value)
    assert not env.sql("SELECT op_id FROM change_log WHERE device_id = %s", (a.profile.device_id,))
    assessment.goal = "Kortare"  # typed into the area: its entry written again, within the bound
    a.profile.cases.save(case)
    report = SyncReport()
    push_pending(a.session, a.profile, report)
    assert (report.pushed, report.applied, report.rejected) == (1, 1, 0)
    stored = server_documents(env, DEMO_USER)[("case", case.id)]["investigation"]["assessments"]
    assert next(a for a in stored if a["area_id"] == area.id)["goal"] == "Kortare"
