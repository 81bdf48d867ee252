"""Pull: pages of server changes after the stored cursor; pages applied with their cursor in one local transaction."""

from __future__ import annotations

from storage.profile import Profile
from storage.sync_state import PulledChange
from sync.client.session import Session
from sync.errors import ServerRejected
from sync.progress import ProgressCallback, SyncProgress, SyncReport, no_progress
from sync.protocol import MAX_PULL_LIMIT, PullRequest, PullResponse

# The largest page the protocol allows: fewer requests.
PAGE_SIZE = MAX_PULL_LIMIT

# Up to this many pages are applied in ONE local transaction together with the last page's cursor: each commit
# costs an fsync and rewrites every page it touched (then also remote_applied's, keyed by op id until storage
# migration 0006), so a first pull of 34 pages spent ~0.3 s of its ~1.2 s client time in commits (measured: 34 -> 7
# commits, 1.15 -> 0.86 s). A crash repeats at most this many pages and never skips one: the cursor only ever
# commits with the changes before it.
PAGES_PER_COMMIT = 5
_PULL = "/v1/pull"


def pull_changes(
    session: Session, profile: Profile, report: SyncReport, progress: ProgressCallback = no_progress,
    page_size: int = PAGE_SIZE, pages_per_commit: int = PAGES_PER_COMMIT, *, after_restore: bool = False,
    retiring: bool = False,
) -> None:
    """Pull until the server has nothing more; a crash repeats at most one group of pages, never skips one.

    Records set aside earlier (``storage.quarantine``) are tried again first: the cause may be fixed by now.
    ``after_restore``: each change names the device that sent it, so a conflict with this laptop's own text synced
    before the restore says so (a server before s29 refuses the question, 422, and is asked plainly: "Deras").
    ``retiring``: the pull of a device IT is retiring, before its last push (a server before s29: 410).
    """
    report.pulled_applied += profile.sync.retry_quarantined()
    path = _PULL + "?" + "&".join(name for name, asked in (("authors=true", after_restore),
                                                            ("retiring=true", retiring)) if asked)
    _pull_pages(session, profile, report, progress, page_size, pages_per_commit, path.rstrip("?"))
    report.not_received = [(r.record_type, r.reason) for r in profile.sync.quarantined()]


def _pull_pages(session: Session, profile: Profile, report: SyncReport, progress: ProgressCallback, page_size: int,
                pages_per_commit: int, path: str) -> None:
    cursor = profile.sync.cursor()
    group: list[PulledChange] = []
    pages = 0
    while True:
        try:
            answer = session.post(path, PullRequest(cursor=cursor, limit=page_size), PullResponse)
        except ServerRejected as refused:
            if refused.status == 422 and path != _PULL:
                # A server before s29 refuses a query parameter it does not take (422): the page again, plainly
                # (no device ids: "Deras"; a retiring device's plain pull is answered 410).
                path = _PULL
                continue
            _apply(profile, report, group, cursor, pages)
            raise
        except Exception:
            # The pages already fetched are kept (with their cursor) before the error goes up.
            _apply(profile, report, group, cursor, pages)
            raise
        # The parsed ServerChanges themselves (storage reads them through PulledChange): no copy per change.
        group.extend(answer.changes)
        pages += 1
        if answer.withdrawn:
            # What was fetched before (this page included) goes in first, still under the old cursor: a change of
            # a withdrawn case fetched earlier must not bring it back after the withdrawal.
            _apply(profile, report, group, cursor, pages)
            group, pages = [], 0
            _withdraw(profile, report, [w.case_id for w in answer.withdrawn])
            _apply(profile, report, [], answer.next_cursor, 1)
        cursor = answer.next_cursor
        if pages >= pages_per_commit or (pages and not answer.has_more):
            _apply(profile, report, group, cursor, pages)
            group, pages = [], 0
        progress(SyncProgress("pull", report.pulled + len(group), 0))  # once per page, as before
        if not answer.has_more:
            return


def _withdraw(profile: Profile, report: SyncReport, case_ids: list[str]) -> None:
    """Cases reassigned away leave this laptop (those with unsynced work stay until it is pushed).

    After the changes fetched before it and before the page's cursor is stored: a withdrawal is idempotent, so a
    crash before the cursor commits repeats it harmlessly.
    """
    if case_ids:
        report.withdrawn_removed += len(profile.withdrawals.withdraw(case_ids).removed)


def _apply(profile: Profile, report: SyncReport, changes: list[PulledChange], cursor: int, pages: int) -> None:
    """Apply a group of pages and store ``cursor`` (the last page's) in one local transaction."""
    if not pages:
        return
    # A case (or person) assigned back arrives again: a form may save it again.
    profile.withdrawals.reinstate((c.record_type, c.record_id) for c in changes)  # matched only if any was withdrawn
    report.pulled_applied += profile.sync.apply_remote(changes, cursor)
    report.pulled += len(changes)
