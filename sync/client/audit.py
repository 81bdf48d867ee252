"""Upload the local audit log after what the server already holds (the server checks the hash chain)."""

from __future__ import annotations

from storage.profile import Profile
from sync.client.session import Session
from sync.progress import ProgressCallback, SyncProgress, SyncReport, no_progress
from sync.protocol import MAX_AUDIT_BATCH, AuditAck, AuditEntryMessage, AuditUpload


def upload_audit(session: Session, profile: Profile, report: SyncReport,
                 progress: ProgressCallback = no_progress) -> None:
    """Ask the server's head (an empty upload), then send the newer entries in bounded batches."""
    head = session.post("/v1/audit", AuditUpload(entries=[]), AuditAck).stored_through_seq
    entries = profile.audit.entries(since_seq=head)
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
