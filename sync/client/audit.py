"""Upload the local audit log after what the server already holds (the server checks the hash chain).

A profile restored from a backup holds the backup's chain (1..J) while the server may hold this device's up to K > J
(what came after the backup went with the damaged file). Uploaded as it is, the entries written since the restore
would reuse numbers the server holds (never sent: its head says it has them) and the first past K would be refused
(409 ``audit_chain_broken``) at every sync. So every sync asks the server's head (``GET /v1/audit/head``, in place
of the empty upload that asked its seq) and, where the server's chain is not the profile's own, asks where the two
part (the same route with ``through``, a binary search) and continues the entries after that on the server's head
(``storage.audit.AuditLog.continue_after_restore``) before it uploads; a copy without a restore's mark gets one, so
the same sync pulls first. The server checks the upload as ever."""

from __future__ import annotations

from storage.profile import Profile
from sync.client.session import Session
from sync.errors import AuditLogBroken, ServerRejected
from sync.progress import ProgressCallback, SyncProgress, SyncReport, no_progress
from sync.protocol import MAX_AUDIT_BATCH, AuditAck, AuditEntryMessage, AuditHead, AuditUpload


def upload_audit(session: Session, profile: Profile, report: SyncReport,
                 progress: ProgressCallback = no_progress) -> None:
    """Ask the server's head, continue the chain on it if this profile's has parted from it, then send the newer
    entries in bounded batches."""
    head = _server_head(session)
    if head is not None and head.hash is not None and _parted(profile, head.seq, head.hash):
        if not profile.audit.verify().ok:
            # A restore's or a copy's chain verifies (the one gap it accepts is a continuation's): this one was cut
            # or edited, and continued it would pass the local check and the server's with the cut hidden.
            raise AuditLogBroken("the audit log parted from the server's and does not verify: not continued")
        if not profile.sync.pulls_first():
            # No restore's mark, yet an older copy of this profile (a folder copied back by hand, a mark lost): its
            # own edits synced since the copy come back before anything typed in it is pushed, as after a restore.
            profile.sync.found_older_copy()
        profile.audit.continue_after_restore(_parting(session, profile, head.seq), head.seq, head.hash)
    if head is not None:
        stored = head.seq
    else:
        stored = session.post("/v1/audit", AuditUpload(entries=[]), AuditAck).stored_through_seq
    entries = profile.audit.entries(since_seq=stored)
    for start in range(0, len(entries), MAX_AUDIT_BATCH):
        chunk = entries[start:start + MAX_AUDIT_BATCH]
        messages = [
            AuditEntryMessage(
                seq=e.seq, entry_id=e.entry_id, at=e.at.isoformat(timespec="microseconds"), user_id=e.user_id,
                device_id=e.device_id, action=e.action, case_id=e.case_id, detail=e.detail, prev_hash=e.prev_hash,
                hash=e.hash,
            )
            for e in chunk
        ]
        session.post("/v1/audit", AuditUpload(entries=messages), AuditAck)
        report.audit_uploaded += len(chunk)
        progress(SyncProgress("audit", report.audit_uploaded, len(entries)))


def _server_head(session: Session) -> AuditHead | None:
    """The server's last entry of this device's chain; None from a server before s27, which has no such route (the
    empty upload then asks its seq alone, and a parted chain is refused there as before)."""
    try:
        return session.get("/v1/audit/head", AuditHead)
    except ServerRejected as refused:
        if refused.status != 404:
            raise
        return None


def _parted(profile: Profile, server_seq: int, server_hash: str) -> bool:
    """True when the server's head is neither this profile's own entry nor the one its chain was continued on: the
    profile is an older copy of itself (restored from a backup, or copied back) and the server holds entries it
    lacks on numbers it uses or will use."""
    own = profile.audit.entry(server_seq)
    if own is not None and own.hash == server_hash:
        return False  # the server's head is this profile's own entry
    after = profile.audit.entry(server_seq + 1)
    return after is None or after.prev_hash != server_hash  # else continued already, by a sync that failed after


def _parting(session: Session, profile: Profile, server_seq: int) -> int:
    """The last seq at which this profile's chain is the server's (0: none). Not the backup's head: a second restore,
    of a backup made before the first one's sync, holds entries past the first's parting on numbers the server
    holds. Each entry's hash covers the one before, so the chains agree up to a point and never after it: a binary
    search over the profile's entries, ~log2(n) questions, asked once after a restore."""
    entries = [entry for entry in profile.audit.entries() if entry.seq <= server_seq]
    agreed, parted = 0, len(entries)  # entries[:agreed] are the server's, entries[parted:] are not
    while agreed < parted:
        middle = (agreed + parted) // 2
        theirs = session.get(f"/v1/audit/head?through={entries[middle].seq}", AuditHead)
        if theirs.seq > entries[middle].seq:
            # A server of s27 has the route but not ``through`` (an unknown query parameter is ignored): its head
            # would agree nowhere, and the whole chain, renumbered after 0, would be stored on it a second time.
            raise ServerRejected(200, "audit_head_through_ignored")
        if (theirs.seq, theirs.hash) == (entries[middle].seq, entries[middle].hash):
            agreed = middle + 1
        else:
            parted = middle
    return entries[agreed - 1].seq if agreed else 0
