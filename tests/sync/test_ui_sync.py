"""The status-bar widget and the conflict dialog, with real widgets (offscreen) and, end to end, real profiles."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QTextBrowser, QWidget
from sync_support import Env, assigned_cases, local_documents, make_laptop, server_documents

from storage.sync_state import Conflict
from sync.server.dev import DEMO_USER
from ui.sync.conflict_dialog import ConflictDialog, ConflictLike
from ui.sync.merge import diff_html, merge3
from ui.sync.status import SyncStatus
from ui.sync.status_widget import SyncStatusWidget

W = TypeVar("W", bound=QWidget)


def test_three_way_merge_combines_edits_that_do_not_overlap() -> None:
    base = "Klarar påklädning själv. Behöver hjälp med dusch."
    mine = "Klarar påklädning själv med visst stöd. Behöver hjälp med dusch."
    theirs = "Klarar påklädning själv. Behöver hjälp med dusch två gånger i veckan."
    expected = "Klarar påklädning själv med visst stöd. Behöver hjälp med dusch två gånger i veckan."
    assert merge3(base, mine, theirs) == expected


def test_three_way_merge_refuses_overlapping_edits() -> None:
    base = "Behöver hjälp med dusch."
    assert merge3(base, "Behöver stöd med dusch.", "Behöver tillsyn med dusch.") is None
    assert merge3("", "A", "B") is None
    assert merge3(base, base, "Ny") == "Ny"
    assert merge3(base, "Samma", "Samma") == "Samma"


def test_diff_html_marks_insertions_and_deletions_and_escapes_text() -> None:
    marked = diff_html("a <b> c", "a <b> d")
    assert '<del style="background-color:#f6c6c6;">c</del>' in marked
    assert '<ins style="background-color:#c6efce;">d</ins>' in marked
    assert "&lt;b&gt;" in marked


def _find(parent: QWidget, kind: type[W], name: str) -> W:
    child = parent.findChild(kind, name)
    assert child is not None, name
    return child


def _current(dialog: ConflictDialog) -> ConflictLike:
    conflict = dialog.current_conflict()
    assert conflict is not None
    return conflict


def _children(widget: QWidget) -> list[QWidget]:
    return [w for w in widget.findChildren(QWidget) if isinstance(w, QLabel | QPushButton | QProgressBar |
                                                                   QTextBrowser)]


def test_status_widget_tells_each_state(qtbot: Any) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    widget.show()
    state = _find(widget, QLabel, "syncStateLabel")
    progress = _find(widget, QProgressBar, "syncProgress")
    pending = _find(widget, QLabel, "syncPendingLabel")
    conflicts = _find(widget, QPushButton, "syncConflictsButton")
    sync_button = _find(widget, QPushButton, "syncNowButton")
    widget.set_status(SyncStatus(state="offline", pending=3))
    assert state.text() == "Offline" and pending.isVisible() and "3" in pending.text()
    assert not progress.isVisible() and not conflicts.isVisible()
    widget.set_status(SyncStatus(state="syncing", progress_done=40, progress_total=120, pending=3))
    assert progress.isVisible() and (progress.value(), progress.maximum()) == (40, 120)
    assert "40" in state.text() and "120" in state.text() and not sync_button.isEnabled()
    widget.set_status(SyncStatus(state="syncing"))
    assert progress.maximum() == 0  # busy indicator while the total is unknown
    synced = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)
    widget.set_status(SyncStatus(state="idle", last_synced_at=synced, conflicts=2))
    assert synced.astimezone().strftime("%H:%M") in state.text()
    assert conflicts.isVisible() and "2" in conflicts.text() and not pending.isVisible()
    with qtbot.waitSignal(widget.conflicts_requested):
        qtbot.mouseClick(conflicts, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(widget.sync_requested):
        qtbot.mouseClick(sync_button, Qt.MouseButton.LeftButton)
    widget.set_status(SyncStatus(state="not_enrolled"))
    assert state.text() == "Not connected" and sync_button.text() == "Connect…" and sync_button.isEnabled()
    with qtbot.waitSignal(widget.enroll_requested):  # never connected: the button connects, a sync could only fail
        qtbot.mouseClick(sync_button, Qt.MouseButton.LeftButton)
    widget.set_status(SyncStatus(state="idle", pending=1))
    assert sync_button.text() == "Sync" and pending.text() == "1 change waiting"
    for child in _children(widget):
        assert child.objectName() and child.accessibleName()


def _conflict(conflict_id: str, case_id: str, path: str, base: Any, mine: Any, theirs: Any) -> Conflict:
    return Conflict(conflict_id, "case", case_id, case_id, path, base, mine, theirs, 7)


def test_conflict_dialog_names_fields_as_a_handlaggare_knows_them(qtbot: Any) -> None:
    from ibic.field_labels import field_label
    from ibic.reference import load_reference_data

    ref = load_reference_data()
    area = ref.life_areas[0]
    conflicts = [_conflict("c1", "case-a", f"investigation/assessments/{area.id}/need", "a", "b", "c")]
    dialog = ConflictDialog(conflicts, lambda _cid, _value: None, field_label=lambda p: field_label(p, ref))
    qtbot.addWidget(dialog)
    case_item = dialog._tree.topLevelItem(0)
    assert case_item is not None
    field_item = case_item.child(0)
    assert field_item is not None and field_item.text(0) == f"{area.label_sv} › Behov"


def test_conflict_dialog_names_a_follow_up_outcome_utfall_and_a_decision_outcome_resultat(qtbot: Any) -> None:
    """Both are called ``outcome`` in the document; the follow-up page says Utfall (a follow-up decides nothing)."""
    from ibic.field_labels import field_label
    from ibic.reference import load_reference_data

    ref = load_reference_data()
    conflicts = [_conflict("c1", "case-a", "follow_ups/5b1e/outcome", None, "continue_unchanged", "ended"),
                 _conflict("c2", "case-a", "decisions/9d3c/outcome", None, "granted", "refused")]
    dialog = ConflictDialog(conflicts, lambda _cid, _value: None, field_label=lambda p: field_label(p, ref))
    qtbot.addWidget(dialog)
    case_item = dialog._tree.topLevelItem(0)
    assert case_item is not None and case_item.childCount() == 2
    labels = [item.text(0) for item in (case_item.child(0), case_item.child(1)) if item is not None]
    assert labels == ["Uppföljningar › Utfall", "Beslut › Resultat"]


def test_conflict_dialog_names_a_follow_up_outcome_note_as_the_follow_up_page_does(qtbot: Any) -> None:
    """The page labels the note "Kommentar till utfallet"; the dialog said "Uppföljningar › Anteckning"."""
    from ibic.field_labels import field_label
    from ibic.reference import load_reference_data

    ref = load_reference_data()
    conflicts = [_conflict("c1", "case-a", "follow_ups/5b1e/outcome_note", None, "Fortsätter.", "Avslutas.")]
    dialog = ConflictDialog(conflicts, lambda _cid, _value: None, field_label=lambda p: field_label(p, ref))
    qtbot.addWidget(dialog)
    case_item = dialog._tree.topLevelItem(0)
    field_item = case_item.child(0) if case_item is not None else None
    assert field_item is not None and field_item.text(0) == "Uppföljningar › Kommentar till utfallet"


def test_conflict_dialog_lists_per_case_and_resolves_each_choice(qtbot: Any) -> None:
    chosen: dict[str, Any] = {}
    conflicts = [
        _conflict("c1", "case-a", "origin_note", "Bor ensam.", "Bor ensam i lägenhet.", "Bor ensam. Har hund."),
        _conflict("c2", "case-a", "chosen_provider", "X", "Y", "Z"),
        _conflict("c3", "case-b", "investigation/assessments/d5/need", True, False, True),
    ]
    dialog = ConflictDialog(conflicts, lambda cid, value: chosen.__setitem__(cid, value),
                            case_labels={"case-a": "Ärende 2026-001"})
    qtbot.addWidget(dialog)
    dialog.show()
    tree = dialog._tree
    assert tree.topLevelItemCount() == 2
    first_case = tree.topLevelItem(0)
    assert first_case is not None
    assert first_case.text(0) == "Ärende 2026-001" and first_case.childCount() == 2
    merged_button = _find(dialog, QPushButton, "useMergedButton")
    assert _current(dialog).conflict_id == "c1"
    assert merged_button.isEnabled()
    assert "Har hund" in _find(dialog, QTextBrowser, "conflictMerged").toPlainText()
    assert "<ins" in _find(dialog, QTextBrowser, "conflictMine").toHtml() or \
        "c6efce" in _find(dialog, QTextBrowser, "conflictMine").toHtml()
    with qtbot.waitSignal(dialog.conflict_resolved) as resolved:
        qtbot.mouseClick(merged_button, Qt.MouseButton.LeftButton)
    assert resolved.args == ["c1"]
    assert chosen["c1"] == "Bor ensam i lägenhet. Har hund."
    assert _current(dialog).conflict_id == "c2"
    assert not merged_button.isEnabled()  # X -> Y and X -> Z overlap: the user must choose
    qtbot.mouseClick(_find(dialog, QPushButton, "takeTheirsButton"), Qt.MouseButton.LeftButton)
    assert chosen["c2"] == "Z"
    assert _current(dialog).conflict_id == "c3"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(_find(dialog, QPushButton, "keepMineButton"), Qt.MouseButton.LeftButton)
    assert chosen["c3"] is False
    for child in _children(dialog):
        assert child.objectName() and child.accessibleName(), child


def test_a_refused_choice_keeps_the_conflict_and_says_so(qtbot: Any) -> None:
    def refuse(_cid: str, _value: Any) -> None:
        raise OSError("disk full")

    dialog = ConflictDialog([_conflict("c1", "case-a", "origin_note", "a", "b", "c")], refuse)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(_find(dialog, QPushButton, "keepMineButton"), Qt.MouseButton.LeftButton)
    assert dialog.current_conflict() is not None
    assert _find(dialog, QLabel, "conflictError").text()
    assert dialog.result() == 0


def test_a_real_conflict_reaches_the_dialog_and_the_merge_converges_everything(
    env: Env, tmp_path: Path, qtbot: Any
) -> None:
    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    b.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    base = "Första meningen. Andra meningen."
    case = a.profile.cases.load(case_id)
    case.origin_note = base
    a.profile.cases.save(case)
    a.sync()
    b.sync()
    for laptop, text in ((a, "Första meningen, ändrad av A. Andra meningen."),
                         (b, "Första meningen. Andra meningen, ändrad av B.")):
        case = laptop.profile.cases.load(case_id)
        case.origin_note = text
        laptop.profile.cases.save(case)
    a.sync()
    b.sync()
    dialog = ConflictDialog(b.profile.sync.conflicts(), b.profile.sync.resolve_conflict)
    qtbot.addWidget(dialog)
    assert _current(dialog).path == "origin_note"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(_find(dialog, QPushButton, "useMergedButton"), Qt.MouseButton.LeftButton)
    b.sync()
    a.sync()
    expected = "Första meningen, ändrad av A. Andra meningen, ändrad av B."
    for laptop in (a, b):
        assert laptop.profile.cases.load(case_id).origin_note == expected
    server = server_documents(env, DEMO_USER)
    assert local_documents(a.profile, server) == server == local_documents(b.profile, server)


def test_a_real_follow_up_conflict_reaches_the_dialog_named_as_on_the_follow_up_page(
    env: Env, tmp_path: Path, qtbot: Any
) -> None:
    """Two laptops set one follow-up's outcome and its note differently: the dialog, labelled as a sync's end
    labels it (ui/window_sync.py), names them Utfall and Kommentar till utfallet, as the follow-up page does."""
    labels = _follow_up_conflict_labels(env, tmp_path, qtbot, "sv")
    assert labels == ["Uppföljningar › Kommentar till utfallet", "Uppföljningar › Utfall"]


def test_a_real_follow_up_conflict_is_named_as_the_english_follow_up_page_names_it(
    env: Env, tmp_path: Path, qtbot: Any
) -> None:
    """In English the two read "Follow ups › Outcome" (a decision's word in the English interface) and "Follow ups
    › Outcome note": the field names spelled out. Now the follow-up page's own words."""
    labels = _follow_up_conflict_labels(env, tmp_path, qtbot, "en")
    assert labels == ["Follow-ups › Follow-up outcome", "Follow-ups › Note on the outcome"]


def _follow_up_conflict_labels(env: Env, tmp_path: Path, qtbot: Any, language: str) -> list[str]:
    from ibic.field_labels import field_label
    from ibic.follow_up import FollowUp
    from ibic.reference import load_reference_data
    from ibic.vocabulary import FollowUpOutcome

    ref = load_reference_data()
    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    b.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    case = a.profile.cases.load(case_id)
    follow_up = FollowUp()
    case.follow_ups.append(follow_up)
    a.profile.cases.save(case)
    a.sync()
    b.sync()
    for laptop, outcome, note in ((a, FollowUpOutcome.CONTINUE_UNCHANGED, "Fortsätter som förut."),
                                  (b, FollowUpOutcome.ENDED, "Insatsen avslutas.")):
        case = laptop.profile.cases.load(case_id)
        mine = next(f for f in case.follow_ups if f.id == follow_up.id)
        mine.outcome, mine.outcome_note = outcome, note
        laptop.profile.cases.save(case)
    a.sync()
    b.sync()
    dialog = ConflictDialog(b.profile.sync.conflicts(), b.profile.sync.resolve_conflict,
                            field_label=lambda path: field_label(path, ref, language))
    qtbot.addWidget(dialog)
    case_item = dialog._tree.topLevelItem(0)
    assert case_item is not None
    return sorted(child.text(0) for child in (case_item.child(i) for i in range(case_item.childCount())) if child)


@pytest.fixture(autouse=True)
def _english(qapp: Any) -> None:
    """Source strings (English) here; the Swedish catalogue is tested by tests/ui."""
    from ui.i18n import install_language

    install_language("en")


def test_controller_syncs_off_the_ui_thread_and_drives_the_widget(env: Env, tmp_path: Path, qtbot: Any,
                                                                 ui_owner: Any) -> None:
    from ui.sync.controller import DEFAULT_PERIODIC_MS, SyncController

    laptop = make_laptop(env, tmp_path / "a", DEMO_USER)
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    widget.show()
    controller = SyncController(laptop.profile, lambda: laptop.session, parent=ui_owner)
    controller.status_changed.connect(widget.set_status)
    widget.sync_requested.connect(controller.sync_now)
    seen: list[SyncStatus] = []
    controller.status_changed.connect(seen.append)
    with qtbot.waitSignal(controller.sync_finished, timeout=60_000):
        qtbot.mouseClick(_find(widget, QPushButton, "syncNowButton"), Qt.MouseButton.LeftButton)
    assert any(s.state == "syncing" for s in seen)
    assert any(s.phase == "pull" and s.progress_done > 0 for s in seen)
    assert widget.status.state == "idle" and widget.status.last_synced_at is not None
    planned = controller.next_sync_in_ms()  # online: the next run is the periodic one
    assert planned is not None and DEFAULT_PERIODIC_MS - 60_000 < planned <= DEFAULT_PERIODIC_MS + 60_000
    assert laptop.profile.cases.count() == len(assigned_cases(env, DEMO_USER))
    case = laptop.profile.cases.load(assigned_cases(env, DEMO_USER)[0]["case_id"])
    case.origin_note = "ändrad"
    laptop.profile.cases.save(case)
    controller.refresh_counts()
    assert widget.status.pending == 1 and _find(widget, QLabel, "syncPendingLabel").isVisible()


def test_controller_reports_offline_and_schedules_a_retry(tmp_path: Path, qtbot: Any, ui_owner: Any) -> None:
    from sync_support import PASSPHRASE
    from wrong_addresses import UNRESOLVABLE

    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from sync.client.credentials import DeviceCredentials
    from sync.client.session import Session
    from sync.client.transport import RetryPolicy, Transport
    from ui.sync.controller import SyncController

    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id=DEMO_USER,
                             kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))
    nowhere = UNRESOLVABLE  # no name: offline (a port where nothing listens is "no_server" since s35-net)
    credentials = DeviceCredentials(nowhere, profile.device_id, DEMO_USER, "demo-unit", "x" * 43)

    def session() -> Session:
        return Session(Transport(nowhere, retry=RetryPolicy(attempts=2, base_seconds=0.01)), credentials)

    controller = SyncController(profile, session, parent=ui_owner, retry_ms=3_600_000)
    with qtbot.waitSignal(controller.sync_failed, timeout=30_000) as failed:
        controller.sync_now()
    from sync.errors import Offline

    assert isinstance(failed.args[0], Offline)
    assert controller.status.state == "offline"
    planned = controller.next_sync_in_ms()
    assert planned is not None and 3_500_000 < planned <= 3_700_000
    from PySide6.QtNetwork import QNetworkInformation

    controller.network_changed(QNetworkInformation.Reachability.Disconnected)
    assert not controller.running  # no network yet: wait for the retry
    with qtbot.waitSignal(controller.sync_failed, timeout=30_000):
        controller.network_changed(QNetworkInformation.Reachability.Online)  # the system says it is back: try now
        assert controller.running and controller.status.state == "syncing"
    assert controller.status.state == "offline"


def test_enrollment_dialog_connects_with_a_code_and_explains_a_bad_one(env: Env, tmp_path: Path, qtbot: Any) -> None:
    from PySide6.QtWidgets import QLineEdit
    from sync_support import PASSPHRASE

    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from sync.client.credentials import CredentialStore
    from ui.sync.enrollment_dialog import EnrollmentDialog

    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id=DEMO_USER,
                             kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))
    dialog = EnrollmentDialog(profile, env.base_url)
    qtbot.addWidget(dialog)
    dialog.show()
    code = _find(dialog, QLineEdit, "enrollmentCode")
    connect = _find(dialog, QPushButton, "enrollmentConnect")
    message = _find(dialog, QLabel, "enrollmentMessage")
    qtbot.keyClicks(code, "AAAA-BBBB-CCCC")
    qtbot.mouseClick(connect, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: connect.isEnabled(), timeout=30_000)
    assert "wrong" in message.text() and CredentialStore(profile).load() is None
    code.clear()
    qtbot.keyClicks(code, env.new_code(DEMO_USER))
    with qtbot.waitSignal(dialog.enrolled, timeout=30_000):
        qtbot.mouseClick(connect, Qt.MouseButton.LeftButton)
    stored = CredentialStore(profile).load()
    assert stored is not None and stored.user_id == DEMO_USER and stored.device_id == profile.device_id
    for child in _children(dialog):
        assert child.objectName() and child.accessibleName(), child


class _RejectingSession:
    """Every request the sync makes is refused, as after a 5xx that outlived the retries or a rejected request."""

    def __getattr__(self, name: str) -> Any:
        from sync.errors import ServerRejected

        def refuse(*_args: Any, **_kwargs: Any) -> Any:
            raise ServerRejected(400, "invalid_request")

        return refuse


def test_after_a_refused_sync_the_controller_still_syncs_periodically(tmp_path: Path, qtbot: Any, ui_owner: Any,
                                                                      ) -> None:
    from sync_support import PASSPHRASE

    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from sync.errors import NotEnrolled, ServerRejected
    from ui.sync.controller import SyncController

    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id=DEMO_USER,
                             kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))
    periodic = 3_600_000
    controller = SyncController(profile, _RejectingSession, parent=ui_owner, retry_ms=60_000, periodic_ms=periodic)
    with qtbot.waitSignal(controller.sync_failed, timeout=30_000) as failed:
        controller.sync_now()
    assert isinstance(failed.args[0], ServerRejected)
    assert controller.status.state == "failed"
    planned = controller.next_sync_in_ms()  # not the offline retry: the ordinary periodic run
    # Qt's coarse timers may report a little more than the interval, hence the margin on both sides.
    assert planned is not None and periodic - 100_000 < planned < periodic + 100_000

    def not_enrolled() -> Any:
        raise NotEnrolled("this profile is not enrolled with a sync server")

    unenrolled = SyncController(profile, not_enrolled, parent=ui_owner, periodic_ms=periodic)
    with qtbot.waitSignal(unenrolled.sync_failed, timeout=30_000):
        unenrolled.sync_now()
    assert unenrolled.status.state == "not_enrolled"
    assert unenrolled.next_sync_in_ms() is None  # nothing to sync with until the user enrolls


def test_enrollment_dialog_explains_a_busy_server_or_too_many_attempts(tmp_path: Path, qtbot: Any) -> None:
    from PySide6.QtWidgets import QLabel
    from sync_support import PASSPHRASE

    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from sync.errors import ServerUnavailable
    from ui.sync.enrollment_dialog import EnrollmentDialog

    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id=DEMO_USER,
                             kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))
    dialog = EnrollmentDialog(profile, "https://sync.example.invalid")
    qtbot.addWidget(dialog)
    dialog._failed(ServerUnavailable("no answer"))  # what a rate-limited (429) enrollment ends in after retries
    assert "too many attempts" in _find(dialog, QLabel, "enrollmentMessage").text()
    assert dialog.connect_button.isEnabled()
