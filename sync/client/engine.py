"""One sync run: audit up, push, pull; and what a revoked device must do. Plain Python, run off the UI thread."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

from storage.errors import PendingChangesExist
from storage.profile import Profile
from sync.client.audit import upload_audit
from sync.client.credentials import CredentialStore
from sync.client.pull import pull_changes
from sync.client.push import push_pending
from sync.client.session import Session
from sync.client.transport import RetryPolicy, RevokedAnswer, Transport
from sync.errors import DeviceRevoked, NotEnrolled, SyncError
from sync.progress import ProgressCallback, SyncProgress, SyncReport, no_progress
from sync.protocol import PushRequest, PushResponse, RevocationInstruction
from sync.timeouts import Timeouts


def open_session(profile: Profile, *, ca_file: Path | None = None, verify: bool = True,
                 retry: RetryPolicy | None = None, timeouts: Timeouts | None = None) -> Session:
    """A session from the credentials stored in the unlocked profile; NotEnrolled before enrollment. ``timeouts``:
    the settings' (``ui.settings``), else the defaults of ``sync.timeouts``."""
    credentials = CredentialStore(profile).load()
    if credentials is None:
        raise NotEnrolled("this profile is not enrolled with a sync server")
    transport = Transport(credentials.server_url, ca_file=ca_file, verify=verify, retry=retry, timeouts=timeouts)
    return Session(transport, credentials)


def sync_now(session: Session, profile: Profile, progress: ProgressCallback = no_progress) -> SyncReport:
    """Upload audit, push pending entries, pull server changes. Raises DeviceRevoked after acting on a revocation."""
    report = SyncReport()
    try:
        upload_audit(session, profile, report, progress)
        _pull_after_restore(session, profile, report, progress)
        retire = push_pending(session, profile, report, progress)
        if retire is not None:
            _retire(session, profile, report, retire, progress)
        pull_changes(session, profile, report, progress)
        if report.not_received:
            # The audit entry of a record set aside by this pull reaches the server now, not at the next sync.
            upload_audit(session, profile, report, progress)
        _settle_withdrawals(profile, report)
    except RevokedAnswer as answer:
        _retire(session, profile, report, answer.instruction, progress)
    report.finished_at = datetime.now(UTC)
    progress(SyncProgress("done", 1, 1))
    return report


def _settle_withdrawals(profile: Profile, report: SyncReport) -> None:
    """Cases withdrawn while they held unsynced work leave once the push above has delivered it."""
    report.withdrawn_removed += len(profile.withdrawals.retry_kept().removed)
    report.withdrawn_kept = len(profile.withdrawals.kept())


def _pull_after_restore(session: Session, profile: Profile, report: SyncReport, progress: ProgressCallback,
                        *, retiring: bool = False) -> None:
    """A profile restored from a backup pulls before it pushes: this laptop's edits pushed after the backup come back
    before anything typed since is pushed over them (the server does not hold a device's own edits against it):
    where the two meet, a conflict for the handläggare (``storage.restored_mark``), which keeps a retiring profile
    until it is settled. ``sync_now``'s pull and a retiring device's before its last push, once two functions.

    Retiring: without unsynced work nothing can be pushed over anything, so no pull, the wipe goes on; a server
    before s29 refuses a retiring device's pull (410): then nothing is pushed over that text and nothing is wiped,
    the person is told to call IT (``DeviceRevoked.restored``)."""
    if not profile.sync.pulls_first() or (retiring and not profile.sync.unsynced_count()):
        return
    try:
        pull_changes(session, profile, report, progress, after_restore=True, retiring=retiring)
    except RevokedAnswer as answer:
        if not retiring or not answer.instruction.may_push:
            raise  # sync_now retires the device; retiring, lost or the push window closed: as for the push below
        raise DeviceRevoked("retire", wiped=False, pending=profile.sync.unsynced_count(), restored=True) from None
    profile.sync.pulled_after_restore()


def _retire(session: Session, profile: Profile, report: SyncReport, instruction: RevocationInstruction,
            progress: ProgressCallback) -> None:
    """lost: wipe now, pending work included. retire: push what is pending, wipe only when nothing is left."""
    store = CredentialStore(profile)
    if instruction.kind == "lost":
        profile.sync.wipe(allow_pending=True)
        store.delete()
        raise DeviceRevoked("lost", wiped=True)
    if instruction.may_push:
        try:
            upload_audit(session, profile, report, progress)
            _pull_after_restore(session, profile, report, progress, retiring=True)
            push_pending(session, profile, report, progress)
        except RevokedAnswer:
            pass  # the push window closed meanwhile; what is still pending keeps the profile below
        except DeviceRevoked:
            raise  # a restored profile the server would not let pull first: nothing pushed, nothing wiped
        except SyncError as error:
            # Not delivered now (the batch that failed beside the answer that retired the device fails again, the
            # network went): what the server lacks stays and nothing is wiped; the person learns the device is
            # retired, and a later sync pushes the rest and wipes.
            raise DeviceRevoked("retire", wiped=False, pending=profile.sync.unsynced_count()) from error
    try:
        profile.sync.wipe(allow_pending=False)
    except PendingChangesExist as exc:
        # Conflicts or unpushed work remain: the user resolves them (or calls IT); nothing is deleted.
        raise DeviceRevoked("retire", wiped=False, pending=exc.count) from None
    store.delete()
    if instruction.may_push:
        # Best effort: the profile is gone either way; without this the server keeps the device in "retire".
        with contextlib.suppress(Exception):
            session.post("/v1/push", PushRequest(changes=[], closing=True), PushResponse)
    raise DeviceRevoked("retire", wiped=True)
