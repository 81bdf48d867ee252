"""A status change that races a colleague's closing (s34): laptop B has not pulled A's closing of the case when it
moves the case on by the case page's button and presses Synka nu. Before, the server took B's push as a reopening
and refused both its ops ("2 ändringar avvisades"); B then showed Avslutad but kept a history entry the server never
got, the laptop and the server apart for good. Now it is a conflict on the status, shown in the conflict dialog,
the history's entry held back with it; each choice ends with B's case as the server holds it (status and history),
nothing pending, no conflict left. Two real MainWindows against the real server and PostgreSQL (as
test_conflict_two_windows.py); a colleague's closing and one 40 days old are pushed by HTTP as another laptop would."""

from __future__ import annotations

import threading
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton
from sync_support import Env, version_of
from test_conflict_two_windows import (
    FOLLOWED_UP,
    _all_hold_what_the_server_holds,
    _alt,
    _case_id,
    _from_the_status_bar,
    _laptop,
    _locked,
    _open,
    _press,
    _server_case,
    _sync,
    _three_syncs,
    status_conflict_chosen,
)
from uihelpers import close_chosen, in_modal, when_shown

from sync.server import central, push_service
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER

CTRL = Qt.KeyboardModifier.ControlModifier
COLLEAGUE = "kollega.demo"


def _status_button(qtbot: Any, window: Any, name: str) -> QPushButton:
    """The case page (Ctrl+1) of FOLLOWED_UP, its status button ``name`` focused."""
    _open(qtbot, window, FOLLOWED_UP)
    _press(qtbot, window, Qt.Key.Key_1, CTRL)
    page = window.workspace.case_page

    def shown() -> bool:  # the status row's buttons are made anew when the page shows the case
        button = page.findChild(QPushButton, name)
        return button is not None and button.isVisible()

    qtbot.waitUntil(shown)
    button = page.findChild(QPushButton, name)
    button.setFocus()
    return button


def _renewed_investigation(qtbot: Any, window: Any) -> None:
    """Nyprövning: the case in verkställighet/uppföljning back to utredning by its button (Space)."""
    qtbot.keyClick(_status_button(qtbot, window, "status_investigation"), Qt.Key.Key_Space)


def _closed_on_a_renewed_on_b(qtbot: Any, env: Env, a: Any, b: Any, case_id: str) -> dict[str, Any]:
    """A closes the case by its button (a reason chosen) and syncs; B, not pulled, sends it back to utredning and
    syncs. The server's case as A's closing left it."""
    close = _status_button(qtbot, a, "status_closed")
    in_modal("closeCaseQuestion", lambda: qtbot.keyClick(close, Qt.Key.Key_Space), close_chosen)
    _sync(qtbot, a)
    closed = _server_case(env, case_id)
    assert _statuses(closed)[0] == "closed"
    _renewed_investigation(qtbot, b)
    _sync(qtbot, b)
    return closed


def _statuses(document: dict[str, Any]) -> tuple[str, list[str]]:
    return document["status"], [change["status"] for change in document["status_history"]]


def _no_refusal(window: Any) -> None:
    """The sync's answer held no refusal: nothing of the case is left rejected on the laptop."""
    profile = window.session.profile
    with profile._db.reading() as connection:
        rejected = connection.execute("SELECT count(*) FROM journal WHERE state = 'rejected'").fetchone()[0]
    assert rejected == 0


@pytest.mark.parametrize("choice", ["theirs", "mine"])
def test_a_status_change_racing_a_closing_is_a_conflict_and_either_choice_leaves_laptop_and_server_alike(
        qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None, choice: str) -> None:
    """A closes the case (Avslutad, a reason) and syncs; B, not pulled, sends it back to utredning and syncs: one
    conflict, "Status", Utredning against Avslutad, nothing refused. Ta deras (Alt+T): B's case is Avslutad and its
    history ends with A's closing, B's entry gone. Behåll min (Alt+B), B the one who closed it (the same user on two
    laptops) within 30 days: a reopening after the closing, then B's utredning."""
    a, b = _laptop(qtbot, env, tmp_path, "a"), _laptop(qtbot, env, tmp_path, "b")
    case_id = _case_id(a, FOLLOWED_UP)
    try:
        closed = _closed_on_a_renewed_on_b(qtbot, env, a, b, case_id)
        _no_refusal(b)
        assert b.statusBar().findChild(QPushButton, "syncConflictsButton").text() == "1 konflikt"
        assert _server_case(env, case_id)["status_history"] == closed["status_history"]  # nothing of B's applied
        seen = status_conflict_chosen(qtbot, b, Qt.Key.Key_T if choice == "theirs" else Qt.Key.Key_B)
        assert seen == {"rows": ["Status"], "shown": ["Verkställighet/uppföljning", "Utredning", "Avslutad"],
                        "note": ("Behåll min öppnar det avslutade ärendet igen (efter avslutet, som finns kvar i "
                                 "historiken).", "Om Behåll min"), "closed": True}
        _three_syncs(qtbot, b, a)
        server = _all_hold_what_the_server_holds(env, case_id, a, b)
        if choice == "theirs":
            assert _statuses(server) == _statuses(closed)
            assert server["status_history"] == closed["status_history"]
        else:
            assert _statuses(server)[0] == "investigation"
            assert server["status_history"][:-2] == closed["status_history"]
            reopening, mine = server["status_history"][-2:]
            assert (reopening["status"], reopening["by"], mine["status"]) == (
                "implementation", DEMO_USER, "investigation")
        _no_refusal(b)
    finally:
        _locked(a, b)


def _closing(on: date, by: str) -> dict[str, Any]:
    return {"id": f"c-{uuid.uuid4().hex[:8]}", "status": "closed", "on": on.isoformat(), "by": by,
            "reason": "moved", "reason_note": "", "closed_from": "implementation"}


@pytest.mark.parametrize("why", ["colleague", "late", "ahead"])
def test_keep_mine_against_a_closing_the_rule_refuses_says_why_and_the_case_keeps_the_server_s(
        qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None, why: str) -> None:
    """The closing came from a colleague's laptop (B is neither the case's handläggare nor the one who closed it),
    or from B's own other laptop 40 days ago (past the 30 days) or dated a year ahead (s34-rrace): Behåll min is a
    reopening the rule refuses. The dialog says why in Swedish and stays open on it; the case keeps the server's
    status, B's history entry goes, and after one sync B holds what the server holds."""
    b = _laptop(qtbot, env, tmp_path, "b")
    case_id = _case_id(b, FOLLOWED_UP)
    if why == "colleague":
        with connect(env.database_url) as conn:
            central.create_user(conn, COLLEAGUE, DEMO_UNIT)
        a = env.enroll(COLLEAGUE, "laptop-k")
        entry = _closing(date.today(), COLLEAGUE)
    else:  # "ahead", s34-rrace: a laptop whose clock ran a year ahead; the reopening after it, dated as late, was
        # refused by the server (after its day) and B stayed in utredning, the server's case Avslutad
        a = env.enroll(DEMO_USER, "laptop-a")
        entry = _closing(date.today() + timedelta(days=-40 if why == "late" else 400), DEMO_USER)
    try:
        base = version_of(env, "case", case_id)
        answer = a.push([a.change(case_id, "status", "closed", base),
                         a.change(case_id, f"status_history/{entry['id']}", entry, base)])
        assert [r["status"] for r in answer.json()["results"]] == ["applied", "applied"], answer.text
        closed = _server_case(env, case_id)
        _renewed_investigation(qtbot, b)
        _sync(qtbot, b)
        _no_refusal(b)
        seen: dict[str, Any] = {}

        def keep_mine(dialog: Any) -> None:
            _alt(qtbot, dialog, Qt.Key.Key_B)
            seen["open"] = dialog.isVisible()
            seen["said"] = dialog.findChild(QLabel, "conflictError").text()
            seen["left"] = len(b.session.profile.sync.conflicts())

        _from_the_status_bar(qtbot, b, keep_mine)
        rule = {"colleague": "Bara ärendets egen handläggare, eller den som avslutade det, kan öppna det igen.",
                "late": f"Ärendet avslutades {entry['on']}, för mer än 30 dagar sedan, och kan inte längre öppnas "
                        "igen.",
                "ahead": f"Ärendets avslut är daterat {entry['on']}, efter dagens datum, så det kan inte öppnas igen "
                         "här. Be att det öppnas i verksamhetssystemet."}[why]
        assert seen["open"] and seen["left"] == 0
        assert seen["said"].startswith("Behåll min gick inte: " + rule), seen["said"]
        assert seen["said"].endswith("Ärendet behåller deras status.")
        _sync(qtbot, b)
        server = _all_hold_what_the_server_holds(env, case_id, b)
        assert _statuses(server) == _statuses(closed)
        assert server["status_history"] == closed["status_history"]
    finally:
        _locked(b)


def test_a_status_changed_again_while_its_conflict_is_open_waits_with_it_and_goes_with_the_choice(
        qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None) -> None:
    """B, its nyprövning in conflict with A's closing, decides the case too (Beslut) and syncs: the new entry is
    not sent alone (the server took it as a reopening of the closed case and refused it: one change refused, the
    entry on B alone); Behåll min sends the reopening, the nyprövning and the decision, in that order."""
    a, b = _laptop(qtbot, env, tmp_path, "a"), _laptop(qtbot, env, tmp_path, "b")
    case_id = _case_id(a, FOLLOWED_UP)
    try:
        closed = _closed_on_a_renewed_on_b(qtbot, env, a, b, case_id)
        qtbot.keyClick(_status_button(qtbot, b, "status_decided"), Qt.Key.Key_Space)
        _sync(qtbot, b)
        _no_refusal(b)
        assert _server_case(env, case_id)["status_history"] == closed["status_history"]
        seen = status_conflict_chosen(qtbot, b, Qt.Key.Key_B)
        assert seen["rows"] == ["Status"] and seen["shown"][1:] == ["Beslut", "Avslutad"] and seen["closed"]
        _three_syncs(qtbot, b, a)
        server = _all_hold_what_the_server_holds(env, case_id, a, b)
        assert _statuses(server)[0] == "decided"
        assert server["status_history"][:-3] == closed["status_history"]
        assert [change["status"] for change in server["status_history"][-3:]] == [
            "implementation", "investigation", "decided"]
        _no_refusal(b)
    finally:
        _locked(a, b)


def test_ta_deras_sends_no_status_so_the_closer_s_reopening_meanwhile_meets_no_conflict(
        qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None) -> None:
    """s34-rrace: B takes A's closing (Ta deras) and, before B syncs, A opens the case again by "Öppna ärendet igen"
    and syncs. Ta deras sent the server's status back as B's own write ("closed" on the closing's version): the server
    met it as a status change made before A's reopening, a conflict whose "Min" side was the Avslutad B had only
    accepted; Behåll min there kept a bare Avslutad with no closing in the history (no reason, never to be opened
    again). Now taking theirs sends nothing: B pulls A's reopening, no conflict, both laptops as the server."""
    a, b = _laptop(qtbot, env, tmp_path, "a"), _laptop(qtbot, env, tmp_path, "b")
    case_id = _case_id(a, FOLLOWED_UP)
    try:
        closed = _closed_on_a_renewed_on_b(qtbot, env, a, b, case_id)
        assert status_conflict_chosen(qtbot, b, Qt.Key.Key_T)["closed"]
        _reopened_by_keys(qtbot, a, case_id)
        _sync(qtbot, a)
        _sync(qtbot, b)
        assert b.statusBar().findChild(QPushButton, "syncConflictsButton").text() != "1 konflikt"
        _three_syncs(qtbot, b, a)
        server = _all_hold_what_the_server_holds(env, case_id, a, b)
        assert server["status_history"][:-1] == closed["status_history"]
        assert _statuses(server)[0] == "implementation" and server["status_history"][-1]["status"] == "implementation"
        _no_refusal(b)
    finally:
        _locked(a, b)


def _reopened_by_keys(qtbot: Any, window: Any, case_id: str) -> None:
    """The case page's "Öppna ärendet igen" (Space), the question answered yes by keys; until the case is open."""
    page = window.workspace.case_page
    qtbot.waitUntil(lambda: any(w.isVisible() for w in page.findChildren(QPushButton, "reopenCase")))
    reopen = next(w for w in page.findChildren(QPushButton, "reopenCase") if w.isVisible())
    reopen.setFocus()
    when_shown("reopenCaseQuestion", _answered("reopenCaseYes"))
    qtbot.keyClick(reopen, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.session.profile.cases.load(case_id).status == "implementation")


def _answered(name: str) -> Any:
    """A question answered by keys: its button ``name`` focused, Space."""
    def press(box: Any) -> None:
        chosen = box.findChild(QPushButton, name)
        chosen.setFocus()
        QTest.keyClick(chosen, Qt.Key.Key_Space)
    return press


def test_a_status_changed_again_while_its_push_is_on_the_wire_is_one_conflict_and_goes_with_the_choice(
        qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """s34-rrace: B's nyprövning is on its way to the server (Synka nu) when B decides the case too (Beslut): the
    status's entry in flight is replaced by a new one, so the server's conflict on it was not recorded, and the
    nyprövning's history entry, answered conflict beside it, found no conflict on the status to wait with: a second
    row, "Statushistorik" (a server value of nothing), whose Behåll min sent the entry alone, refused on the closed
    case, and the status's choice left it out. Now it waits for the status's conflict, which the pull brings: one row,
    Status, and Behåll min sends the reopening, the nyprövning and the decision."""
    a, b = _laptop(qtbot, env, tmp_path, "a"), _laptop(qtbot, env, tmp_path, "b")
    case_id = _case_id(a, FOLLOWED_UP)
    try:
        close = _status_button(qtbot, a, "status_closed")
        in_modal("closeCaseQuestion", lambda: qtbot.keyClick(close, Qt.Key.Key_Space), close_chosen)
        _sync(qtbot, a)
        closed = _server_case(env, case_id)
        _renewed_investigation(qtbot, b)
        on_wire, let_go = threading.Event(), threading.Event()
        push_batch = push_service.push_batch

        def held_push(conn: Any, actor: Any, changes: Any, **options: Any) -> Any:
            """The server holds B's push before it reads the case, until B's second status change is journaled."""
            if not let_go.is_set() and any(c.path == "status" for c in changes):
                on_wire.set()
                let_go.wait(30)
            return push_batch(conn, actor, changes, **options)

        monkeypatch.setattr(push_service, "push_batch", held_push)
        controller = b.sync.controller
        before = controller.status.last_synced_at
        qtbot.keyClick(b, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(on_wire.is_set)
        page = b.workspace.case_page
        qtbot.waitUntil(lambda: any(w.isVisible() for w in page.findChildren(QPushButton, "status_decided")))
        decided = next(w for w in page.findChildren(QPushButton, "status_decided") if w.isVisible())
        decided.setFocus()
        qtbot.keyClick(decided, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: any(c.path == "status" and c.value == "decided"
                                    for c in b.session.profile.journal.pending()))
        let_go.set()
        qtbot.waitUntil(lambda: controller.status.last_synced_at != before and not controller.running, timeout=60_000)
        _no_refusal(b)
        seen = status_conflict_chosen(qtbot, b, Qt.Key.Key_B)
        assert seen["rows"] == ["Status"] and seen["shown"][1:] == ["Beslut", "Avslutad"] and seen["closed"], seen
        _three_syncs(qtbot, b, a)
        server = _all_hold_what_the_server_holds(env, case_id, a, b)
        assert server["status_history"][:-3] == closed["status_history"]
        assert [change["status"] for change in server["status_history"][-3:]] == [
            "implementation", "investigation", "decided"]
        _no_refusal(b)
    finally:
        let_go.set()
        _locked(a, b)


def test_a_closing_dated_tomorrow_by_a_clock_ahead_is_opened_again_after_its_day(
        qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None) -> None:
    """s34-rrace: the handläggare's other laptop, its clock past midnight, closed the case dated tomorrow; B pulls it
    and opens the case again ("Öppna ärendet igen", allowed: within the day's margin). The reopening was dated
    today, before the closing it takes back: the server refused it ("2 ändringar avvisades"), B open and the
    server's case closed for good. Now it is dated the closing's day, and both hold the same case."""
    b = _laptop(qtbot, env, tmp_path, "b")
    case_id = _case_id(b, FOLLOWED_UP)
    a = env.enroll(DEMO_USER, "laptop-a")
    entry = _closing(date.today() + timedelta(days=1), DEMO_USER)
    try:
        base = version_of(env, "case", case_id)
        answer = a.push([a.change(case_id, "status", "closed", base),
                         a.change(case_id, f"status_history/{entry['id']}", entry, base)])
        assert [r["status"] for r in answer.json()["results"]] == ["applied", "applied"], answer.text
        _sync(qtbot, b)
        _open(qtbot, b, FOLLOWED_UP)
        _press(qtbot, b, Qt.Key.Key_1, CTRL)
        _reopened_by_keys(qtbot, b, case_id)
        _sync(qtbot, b)
        _no_refusal(b)
        _sync(qtbot, b)
        server = _all_hold_what_the_server_holds(env, case_id, b)
        assert [(h["status"], h["on"]) for h in server["status_history"][-2:]] == [
            ("closed", entry["on"]), ("implementation", entry["on"])]
    finally:
        _locked(b)
