"""Push: the journal's pending entries in bounded batches; each answer recorded in one local transaction."""

from __future__ import annotations

from storage.profile import Profile
from storage.sync_state import PushOutcome
from sync.client.progress import ProgressCallback, SyncProgress, SyncReport, no_progress
from sync.client.session import Session
from sync.errors import ServerRejected
from sync.protocol import MAX_PUSH_BATCH, PushRequest, PushResponse, RevocationInstruction


def push_pending(
    session: Session, profile: Profile, report: SyncReport, progress: ProgressCallback = no_progress,
    batch_size: int = MAX_PUSH_BATCH,
) -> RevocationInstruction | None:
    """Push until nothing is pending; returns the retire instruction if the server sent one with its answers."""
    total = profile.journal.pending_count()
    revocation: RevocationInstruction | None = None
    previous: list[str] = []
    progress(SyncProgress("push", 0, total))
    while True:
        batch = profile.journal.pending(limit=min(batch_size, MAX_PUSH_BATCH))
        if not batch:
            return revocation
        op_ids = [change.op_id for change in batch]
        if op_ids == previous:
            # The server answered without settling these entries: stop rather than loop forever.
            raise ServerRejected(200, "push_not_settled")
        previous = op_ids
        answer = session.post("/v1/push", PushRequest(changes=batch), PushResponse)
        outcomes = [
            PushOutcome(op_id=r.op_id, status=r.status, new_version=r.new_version, server_value=r.server_value,
                        server_version=r.server_version, reason=r.reason)
            for r in answer.results
        ]
        profile.sync.record_push_outcomes(outcomes)
        _count(report, outcomes)
        revocation = answer.revocation or revocation
        progress(SyncProgress("push", min(report.pushed, max(total, report.pushed)), max(total, report.pushed)))


def _count(report: SyncReport, outcomes: list[PushOutcome]) -> None:
    report.pushed += len(outcomes)
    for outcome in outcomes:
        if outcome.status == "applied":
            report.applied += 1
        elif outcome.status == "duplicate":
            report.duplicates += 1
        elif outcome.status == "conflict":
            report.conflicts += 1
        else:
            report.rejected += 1
            report.rejected_reasons.append(outcome.reason)
