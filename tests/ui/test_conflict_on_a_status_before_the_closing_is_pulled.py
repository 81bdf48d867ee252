"""The conflict on a case's status met by a push whose pull did not follow (s34-race): the server answered the status
change made before a colleague's closing as a conflict, its history entry held with it, but the closing itself has
not reached this laptop. Behåll min against it is a reopening that cannot be checked yet: the dialog says so in
Swedish and the conflict stays, nothing written. Once the pull has brought the closing, Behåll min is the reopening,
recorded after the closing, then the laptop's own status, all sent on the server's version."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from uihelpers import in_modal, open_case_by_keys, unlock

import ui.session
from storage.push_outcomes import PushOutcome
from storage.sync_state import RemoteChange

FOLLOWED_UP = "DEMO-2025-0117"  # in verkställighet/uppföljning


def _keep_mine(qtbot: Any, window: Any) -> dict[str, Any]:
    """Synk › Synkkonflikter…, Behåll min (focused, Space) on its one conflict: what the dialog then shows."""
    seen: dict[str, Any] = {}

    def keep(dialog: Any) -> None:
        button = dialog.findChild(QPushButton, "keepMineButton")
        button.setFocus()
        qtbot.keyClick(button, Qt.Key.Key_Space)
        seen["open"] = dialog.isVisible()
        seen["said"] = dialog.findChild(QLabel, "conflictError").text()
        if dialog.isVisible():
            dialog.reject()

    in_modal("conflictDialog", window.action_conflicts.trigger, keep)
    return seen


def _renewed_and_sent(qtbot: Any, window: Any) -> tuple[Any, Any, Any]:
    """Unlocked, FOLLOWED_UP's case page (Ctrl+1), Utredning by its button (Space): the profile and the journal's
    status and history entries of that change."""
    unlock(qtbot, window)
    open_case_by_keys(qtbot, window, FOLLOWED_UP)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page = window.workspace.case_page
    qtbot.waitUntil(lambda: page.findChild(QPushButton, "status_investigation") is not None
                    and page.findChild(QPushButton, "status_investigation").isVisible())
    button = page.findChild(QPushButton, "status_investigation")
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    profile = window.session.profile
    qtbot.waitUntil(lambda: sorted(c.path.split("/")[0] for c in profile.journal.pending()
                                   if c.path.startswith("status")) == ["status", "status_history"])
    status, entry = (c for c in profile.journal.pending() if c.path.startswith("status"))
    return profile, status, entry


def test_keep_mine_waits_for_the_closing_and_then_reopens_before_the_own_status(qtbot: Any, demo_window: Any) -> None:
    profile, status, entry = _renewed_and_sent(qtbot, demo_window)
    case_id = status.record_id
    closed_at = status.base_version + 2  # the colleague's status and history entry
    profile.sync.record_push_outcomes([
        PushOutcome(status.op_id, "conflict", server_value="closed", server_version=closed_at),
        PushOutcome(entry.op_id, "conflict", server_value=None, server_version=closed_at)])
    assert [c.path for c in profile.sync.conflicts()] == ["status"]

    seen = _keep_mine(qtbot, demo_window)
    assert seen == {"open": True, "said": "Ärendets avslut har inte kommit till den här datorn än. Synka och välj "
                                          "sedan igen."}
    assert [c.path for c in profile.sync.conflicts()] == ["status"] and profile.journal.pending_count() == 0

    user = demo_window.session.caseworker
    closing = {"id": "c-kollega", "status": "closed", "on": entry.value["on"], "by": user, "reason": "moved",
               "reason_note": "", "closed_from": "implementation"}
    profile.sync.apply_remote([
        RemoteChange("case", case_id, "status", "set", "closed", closed_at - 1, 900, "op-a1", device_id="laptop-a"),
        RemoteChange("case", case_id, "status_history/c-kollega", "set", closing, closed_at, 901, "op-a2",
                     device_id="laptop-a")], 901)
    seen = _keep_mine(qtbot, demo_window)
    assert seen == {"open": False, "said": ""}
    case = profile.cases.load(case_id)
    assert case.status == "investigation"
    assert [(h.status, h.by) for h in case.status_history[-3:]] == [
        ("closed", user), ("implementation", user), ("investigation", user)]
    sent = profile.journal.pending()
    assert [(c.path.split("/")[0], c.base_version) for c in sent] == [
        ("status", closed_at), ("status_history", closed_at), ("status_history", closed_at)]
    assert [c.value if c.path == "status" else c.value["status"] for c in sent] == [
        "investigation", "implementation", "investigation"]
    assert sent[2].path == entry.path  # the laptop's own entry, never on the server, sent anew


def test_keep_mine_against_a_closing_is_judged_on_the_session_s_day(qtbot: Any, demo_window: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The choice is judged on the window's day (``ui.session.calendar_day``), as every save since s34-days (the
    lead's s34 merge): the app's clock two days on, a closing 31 days before it (29 before the computer's date) is
    past the 30 days, so Behåll min is refused with why and the case keeps the server's Avslutad; judged on the
    computer's date it reopened the case."""
    day = date.today() + timedelta(days=2)
    monkeypatch.setattr(ui.session, "calendar_day", lambda: day)
    profile, status, entry = _renewed_and_sent(qtbot, demo_window)
    case_id, closed_at = status.record_id, status.base_version + 2
    profile.sync.record_push_outcomes([
        PushOutcome(status.op_id, "conflict", server_value="closed", server_version=closed_at),
        PushOutcome(entry.op_id, "conflict", server_value=None, server_version=closed_at)])
    closed_on = day - timedelta(days=31)
    closing = {"id": "c-andra", "status": "closed", "on": closed_on.isoformat(), "by": demo_window.session.caseworker,
               "reason": "moved", "reason_note": "", "closed_from": "implementation"}
    profile.sync.apply_remote([
        RemoteChange("case", case_id, "status", "set", "closed", closed_at - 1, 900, "op-a1", device_id="laptop-a"),
        RemoteChange("case", case_id, "status_history/c-andra", "set", closing, closed_at, 901, "op-a2",
                     device_id="laptop-a")], 901)
    seen = _keep_mine(qtbot, demo_window)
    assert seen["open"], seen
    assert seen["said"] == (f"Behåll min gick inte: Ärendet avslutades {closed_on.isoformat()}, för mer än 30 dagar "
                            "sedan, och kan inte längre öppnas igen. Behöver den enskilde hjälp igen, öppna ett nytt "
                            "ärende. Ärendet behåller deras status."), seen
    assert profile.sync.conflicts() == [] and profile.journal.pending_count() == 0  # nothing of the own sent
    assert profile.cases.load(case_id).status == "closed"
