"""Push: the journal's pending entries in bounded batches; each answer recorded in one local transaction.

The laptop's own work overlaps the server's: while a batch is on the wire (a helper thread waits for its answer),
the calling thread reads the next batch, and while that one is on the wire it records the answer before. Batches
reach the server one at a time, in journal order. The next batch is sent before the answer is recorded only when
it touches none of the answered batch's records: recording an answer moves the base version of that record's
entries still pending (``rebase``), so such a batch is read again, after recording, and then sent. A crash or a
lost answer leaves what it left before: entries still pending, pushed again and answered ``duplicate`` (the server
applies an op id once).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from ibic.changes import FieldChange
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
    size = min(batch_size, MAX_PUSH_BATCH)
    revocation: RevocationInstruction | None = None
    recorded: set[str] = set()  # op ids sent and answered: pending again, the server did not settle them
    progress(SyncProgress("push", 0, total))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="push") as wire:

        def send(batch: list[FieldChange]) -> Future[PushResponse] | None:
            if not batch:
                return None
            if all(change.op_id in recorded for change in batch):
                # The server answered without settling these entries: stop rather than loop for ever.
                raise ServerRejected(200, "push_not_settled")
            return wire.submit(session.post, "/v1/push", PushRequest(changes=batch), PushResponse)

        batch = profile.journal.pending(limit=size)
        in_flight = send(batch)
        while in_flight is not None:
            following = _after(profile, batch, size)  # read while the server applies ``batch``
            answer = in_flight.result()
            if following and not _shares_record(following, batch):
                in_flight = send(following)
                outcomes = _record(profile, answer)  # while the server applies ``following``
            else:
                outcomes = _record(profile, answer)
                following = profile.journal.pending(limit=size)  # read again: bases moved, or entries not settled
                in_flight = send(following)
            recorded.update(change.op_id for change in batch)
            _count(report, outcomes)
            revocation = answer.revocation or revocation
            progress(SyncProgress("push", min(report.pushed, max(total, report.pushed)), max(total, report.pushed)))
            batch = following
    return revocation


def _after(profile: Profile, batch: list[FieldChange], size: int) -> list[FieldChange]:
    """The next ``size`` pending entries after ``batch`` (read in journal order, so its last entry is its newest).

    An entry of an earlier batch the server answered without settling is not among them: it is found by the read
    after the last answer (``push_pending``), which sends it again or stops with ``push_not_settled``."""
    return profile.journal.pending_after(batch[-1].op_id, limit=size)


def _shares_record(following: list[FieldChange], batch: list[FieldChange]) -> bool:
    keys = {(change.record_type, change.record_id) for change in batch}
    return any((change.record_type, change.record_id) in keys for change in following)


def _record(profile: Profile, answer: PushResponse) -> list[PushOutcome]:
    outcomes = [
        PushOutcome(op_id=r.op_id, status=r.status, new_version=r.new_version, server_value=r.server_value,
                    server_version=r.server_version, reason=r.reason)
        for r in answer.results
    ]
    profile.sync.record_push_outcomes(outcomes)
    return outcomes


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
