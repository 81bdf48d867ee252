"""Pull: pages of server changes after the stored cursor; each page and its cursor in one local transaction."""

from __future__ import annotations

from storage.profile import Profile
from storage.sync_state import RemoteChange
from sync.client.progress import ProgressCallback, SyncProgress, SyncReport, no_progress
from sync.client.session import Session
from sync.protocol import MAX_PULL_LIMIT, PullRequest, PullResponse

# The largest page the protocol allows: each page costs one request and one local commit (fsync), so fewer pages
# are faster; a crash still repeats at most one page.
PAGE_SIZE = MAX_PULL_LIMIT


def pull_changes(
    session: Session, profile: Profile, report: SyncReport, progress: ProgressCallback = no_progress,
    page_size: int = PAGE_SIZE,
) -> None:
    """Pull until the server has nothing more; a crash between pages repeats at most one page, never skips one."""
    cursor = profile.sync.cursor()
    while True:
        answer = session.post("/v1/pull", PullRequest(cursor=cursor, limit=page_size), PullResponse)
        changes = [
            RemoteChange(record_type=c.record_type, record_id=c.record_id, path=c.path, op=c.op, value=c.value,
                         version=c.version, seq=c.seq, op_id=c.op_id)
            for c in answer.changes
        ]
        report.pulled_applied += profile.sync.apply_remote(changes, answer.next_cursor)
        report.pulled += len(changes)
        cursor = answer.next_cursor
        progress(SyncProgress("pull", report.pulled, 0))
        if not answer.has_more:
            return
