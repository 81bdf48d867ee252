"""Push: the journal's pending entries in bounded batches; each answer recorded in one local transaction.

The laptop's own work overlaps the server's, and the server works on two batches at once where that cannot change
an answer. While a batch is on the wire (a helper thread waits for its answer), the calling thread reads the next
batch. That one is sent at once, before the first is answered, when the two are independent (``_independent``:
no record in common, and only cases' fields other than their person link, so neither batch can change what the
other's access checks, duplicates or conflicts see); the server applies them in two transactions side by side
(a push of 1,000 changed cases: two batches of 500 on two cores). Otherwise it is sent when the answer before
arrives, and the laptop records that answer while it is on the wire — unless it touches a record of the answer:
recording an answer moves the base version of that record's entries still pending (``rebase``), so such a batch is
read again, after recording, and then sent. Answers are recorded in journal order, except that the second of two
batches on the server side by side (no record in common, so neither answer moves what the other's recording reads)
is recorded as soon as it is answered if the first is still on its way: only the first's answer is then left to
record when it comes (the last recording is on the push's critical path). The second, answered by the time the
first is, is recorded with it (one local transaction, one commit, made without an fsync: a lost recording is
a lost answer, ``SyncState.record_push_outcomes``).
Each record's entries reach the server in journal order (a record's batches never overlap); entries of different
records may be applied in either order. A crash or a lost answer leaves what it left before: entries still
pending, pushed again and answered ``duplicate`` (the server applies an op id once). A batch that fails (no answer
after the transport's retries, a refusal, a revoked device) or a stop ends the push with its error: no batch is sent
beside one known to have failed, and the answer of the batch beside it, if it comes, is recorded on the way out
(a retire instruction in it goes up instead of the error, which is its cause: it is acted on in this sync).
A batch is read as the request carries it (``ChangeJournal.encoded_pending``: the stored JSON, encoded by SQLite),
and its answer's parsed results are recorded as they are (``storage.push_outcomes``): the laptop's CPU a push of
1,000 changed cases is on the critical path and takes the core the server needs.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

from pydantic import PrivateAttr

from ibic.document_paths import SEPARATOR
from ibic.limits import change_fits
from storage.journal import EncodedEntries, PushEntry
from storage.profile import Profile
from sync.client.session import Session
from sync.client.transport import RevokedAnswer
from sync.errors import ChangeTooLarge, ServerRejected, SyncError
from sync.progress import ProgressCallback, SyncProgress, SyncReport, no_progress
from sync.protocol import MAX_BODY_BYTES, MAX_PUSH_BATCH, OpResult, PushRequest, PushResponse, RevocationInstruction

_log = logging.getLogger(__name__)
IN_FLIGHT = 2  # batches on the server at once: the machine's two cores; more would only queue for them
# A batch's changes as UTF-8 at most: the request's envelope beside them stays under the body size the server takes
# (a few long texts, 200,000 characters each, filled a batch past it: refused with 413 at every sync).
MAX_CHANGES_BYTES = MAX_BODY_BYTES - 4096


class _EncodedPush(PushRequest):
    """A push request whose changes are the journal's own JSON (``ChangeJournal.encoded_pending``): encoded once,
    by SQLite from the stored values, instead of decoded into ``FieldChange`` objects and dumped again."""

    _changes: str = PrivateAttr(default="[]")

    @classmethod
    def of(cls, batch: EncodedEntries) -> _EncodedPush:
        request = cls()
        request._changes = batch.changes
        return request

    def model_dump_json(self, *args: Any, **kwargs: Any) -> str:
        # The envelope as pydantic writes it (protocol, closing), its empty change list replaced by the entries.
        envelope = super().model_dump_json(*args, **kwargs)
        if _NO_CHANGES not in envelope:  # another layout (indent): never send the envelope without its entries
            raise ValueError("push request: the envelope's change list was not found")
        return envelope.replace(_NO_CHANGES, f'"changes":{self._changes}', 1)


_NO_CHANGES = '"changes":[]'


def push_pending(
    session: Session, profile: Profile, report: SyncReport, progress: ProgressCallback = no_progress,
    batch_size: int = MAX_PUSH_BATCH,
) -> RevocationInstruction | None:
    """Push until nothing is pending; returns the retire instruction if the server sent one with its answers."""
    with _collector_held_back():
        return _push(session, profile, report, progress, batch_size)


@contextmanager
def _collector_held_back() -> Iterator[None]:
    """Python's cycle collector held back while pushes run (the whole process's: its young generation is walked
    after ``YOUNG_COLLECTION`` new objects instead of 700, as in each server process): a push's parse and recording
    keep ~1,000 results, entries and rows alive at once, which made the collector walk the young generations
    several times a push (~2 ms, median of 14 pushes of 1,000) and now and then every object of the process. They
    hold no cycles: reference counting frees them. The collector still runs (a push waiting for a slow network
    does not stop it), and the usual threshold is back once the last push running ends."""
    with _held_back.lock:
        if not _held_back.pushes:
            _held_back.thresholds = gc.get_threshold()
            gc.set_threshold(max(_held_back.thresholds[0], YOUNG_COLLECTION), *_held_back.thresholds[1:])
        _held_back.pushes += 1
    try:
        yield
    finally:
        with _held_back.lock:
            _held_back.pushes -= 1
            if not _held_back.pushes:
                gc.set_threshold(*_held_back.thresholds)


class _HeldBack:
    """The pushes running in this process and the collector's thresholds before the first of them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pushes = 0
        self.thresholds: tuple[int, ...] = gc.get_threshold()


YOUNG_COLLECTION = 10_000
_held_back = _HeldBack()


def _push(session: Session, profile: Profile, report: SyncReport, progress: ProgressCallback,
          batch_size: int) -> RevocationInstruction | None:
    total = profile.journal.pending_count()
    size = min(batch_size, MAX_PUSH_BATCH)
    revocation: RevocationInstruction | None = None
    recorded: set[str] = set()  # op ids sent and answered: pending again, the server did not settle them
    progress(SyncProgress("push", 0, total))
    with ThreadPoolExecutor(max_workers=IN_FLIGHT, thread_name_prefix="push") as wire:
        sent: deque[tuple[list[PushEntry], Future[PushResponse]]] = deque()

        def unsettled(batch: list[PushEntry]) -> bool:
            """Whether the server answered every entry of ``batch`` before without settling it."""
            return all(change.op_id in recorded for change in batch)

        def send(encoded: EncodedEntries) -> None:
            batch = encoded.entries
            if not batch:
                return
            if unsettled(batch):
                # The server answered without settling these entries: stop rather than loop for ever.
                raise ServerRejected(200, "push_not_settled")
            if len(batch) == 1 and not change_fits(encoded.changes, MAX_CHANGES_BYTES):
                # One entry past the body limit (journaled before the bound): a 413 at every sync, never sent.
                raise ChangeTooLarge(batch[0].record_type, batch[0].record_id)
            sent.append((batch, wire.submit(session.post, "/v1/push", _EncodedPush.of(encoded), PushResponse)))

        def settled(batch: list[PushEntry], answers: list[PushResponse], outcomes: list[OpResult]) -> None:
            nonlocal revocation
            recorded.update(change.op_id for change in batch)
            _count(report, outcomes)
            for answer in answers:
                revocation = answer.revocation or revocation
            progress(SyncProgress("push", min(report.pushed, max(total, report.pushed)), max(total, report.pushed)))

        send(_read(profile, size))
        beside_settled = False  # the batch beside ``sent[0]`` was answered first and recorded: none is sent beside it
        try:
            while sent:
                batch, in_flight = sent[0]
                following: EncodedEntries | None = None
                if len(sent) == 1 and not _failed(in_flight):  # a failed batch's error goes up, none sent beside it
                    following = _after(profile, batch, size)  # read while the server applies ``batch``
                    if following.entries and not beside_settled and _independent(following.entries, batch):
                        send(following)  # applied by the server side by side with ``batch``
                        following = None
                if len(sent) == 2 and _beside_answered_first(sent):
                    # The batch beside it (no record in common) is answered while ``batch`` is still on the server:
                    # recorded now, so that only ``batch``'s answer is left to record once it comes. The next batch
                    # is read meanwhile and sent once ``batch`` is answered, as after an answer in journal order.
                    answered, done = sent.pop()
                    answers = [done.result()]
                    settled(answered, answers, _record(profile, answers))
                    beside_settled = True
                    continue
                beside_settled = False
                answers = [in_flight.result()]
                sent.popleft()
                while sent and sent[0][1].done() and sent[0][1].exception() is None:
                    # The batch beside it is answered too: both answers recorded in one local transaction (one
                    # commit).
                    answered, done = sent.popleft()
                    batch = batch + answered
                    answers.append(done.result())
                if sent:
                    outcomes = _record(profile, answers)  # while the server applies the batch after it
                elif (following is not None and following.entries and not _shares_record(following.entries, batch)
                      and not unsettled(following.entries)):  # else the stop comes after this answer's recording
                    send(following)
                    outcomes = _record(profile, answers)  # while the server applies ``following``
                else:
                    outcomes = _record(profile, answers)
                    send(_read(profile, size))  # read again: bases moved, or entries not settled
                settled(batch, answers, outcomes)
        except BaseException as error:
            # A failed batch, a failed recording or a stop: the batch still on the wire beside it is waited for
            # (leaving the pool waits for it anyway) and its answer, if it came, recorded: the server applied it.
            revocation = _record_answered(profile, report, [future for _, future in sent]) or revocation
            if revocation is not None and isinstance(error, SyncError):
                # A failed batch beside an answer that retires the device: the instruction is acted on in this
                # sync (sync/client/engine.py), not at the next one; the failure goes with it as its cause.
                raise RevokedAnswer(revocation) from error
            raise
    return revocation


def _beside_answered_first(sent: deque[tuple[list[PushEntry], Future[PushResponse]]]) -> bool:
    """Waits for the first answer of the two batches on the server; whether it is the second's (and an answer,
    not an error), with the first still on its way."""
    first, beside = sent[0][1], sent[1][1]
    wait((first, beside), return_when=FIRST_COMPLETED)
    return not first.done() and beside.exception() is None


def _failed(future: Future[PushResponse]) -> bool:
    return future.done() and future.exception() is not None


def _record_answered(profile: Profile, report: SyncReport,
                     futures: list[Future[PushResponse]]) -> RevocationInstruction | None:
    """Record the answers of these batches that came (on the way out of a push that stops with an error); a
    recording that fails leaves their entries pending, pushed again and answered ``duplicate``. Returns the
    revocation instruction one of them carried, recorded or not."""
    answers = [future.result() for future in futures if future.exception() is None]
    revocation = next((answer.revocation for answer in answers if answer.revocation is not None), None)
    if not answers:
        return None
    try:
        _count(report, _record(profile, answers))
    except Exception as error:  # the push's own error goes up; this one is only logged (by type: no data)
        _log.warning("an answer beside a failed push batch was not recorded (%s); its entries stay pending",
                     type(error).__name__)
    return revocation


def _after(profile: Profile, batch: list[PushEntry], size: int) -> EncodedEntries:
    """The next ``size`` pending entries after ``batch`` (read in journal order, so its last entry is its newest).

    An entry of an earlier batch the server answered without settling is not among them: it is found by the read
    after the last answer (``push_pending``), which sends it again or stops with ``push_not_settled``."""
    return _read(profile, size, after=batch[-1].op_id)


def _read(profile: Profile, size: int, after: str | None = None) -> EncodedEntries:
    """Up to ``size`` pending entries (after the entry ``after``) as a request carries them, no more than the
    server takes in one request (``MAX_CHANGES_BYTES``)."""
    return profile.journal.encoded_pending(limit=size, after=after, max_bytes=MAX_CHANGES_BYTES)


def _independent(following: list[PushEntry], batch: list[PushEntry]) -> bool:
    """Whether the server may apply ``following`` side by side with ``batch``: different records, and only cases'
    fields other than the person link. A person's access comes from its cases' links (a batch linking a case, or
    creating a person or case, decides what the other batch may write), so such batches go one after the other."""
    return not _shares_record(following, batch) and all(_stands_alone(change) for change in (*batch, *following))


def _stands_alone(change: PushEntry) -> bool:
    return change.record_type == "case" and change.path.split(SEPARATOR, 1)[0] != "person_id"


def _shares_record(following: list[PushEntry], batch: list[PushEntry]) -> bool:
    keys = {(change.record_type, change.record_id) for change in batch}
    return any((change.record_type, change.record_id) in keys for change in following)


def _record(profile: Profile, answers: list[PushResponse]) -> list[OpResult]:
    outcomes = [result for answer in answers for result in answer.results]
    profile.sync.record_push_outcomes(outcomes)  # the parsed results as they are (``storage.push_outcomes.Outcome``)
    return outcomes


def _count(report: SyncReport, outcomes: list[OpResult]) -> None:
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
