"""Typed sync errors for the client; English messages without field values. The UI maps each to one sentence."""

from __future__ import annotations


class SyncError(Exception):
    """Base of every error the sync client raises. ``server``: the server's origin (scheme, host and port, never a
    user name, path or token), set by the transport on the errors that say the address misbehaved, for the log."""

    server: str = ""


class Offline(SyncError):
    """The server could not be reached (after the retries): try again later."""


class NothingListening(Offline):
    """The server's host refused the connection: nothing listens at the address (the server is stopped, or the port
    is wrong). Not "no network": something at the address answered."""


class ServerTimedOut(Offline):
    """The server took the connection (or the request) but sent no answer within the answer timeout
    (``sync.timeouts``): a server that hangs, or a network that drops packets mid-request."""


class NotASyncServer(SyncError):
    """Something answered at the address, but not as the sync server: a web page (HTML), a redirect, another
    service's JSON, or no TLS where the address says https://. ``status``: the HTTP status it answered with (0: no
    TLS, so no HTTP either). Never retried: a wrong address stays wrong."""

    def __init__(self, status: int) -> None:
        how = f"HTTP {status}" if status else "without TLS, which its https:// asks for,"
        super().__init__(f"the address answers {how} but not as a Hembesök sync server")
        self.status = status


class ChildFailed(SyncError):
    """The sync's child process ended without an answer (it could not start, was killed, crashed or fell silent):
    nothing it did is lost, since each of the engine's steps is repeatable; the next run starts a new one."""


class CertificateRejected(SyncError):
    """The server's TLS certificate did not verify (system store or the pinned CA): never retried, never ignored."""


class ServerUnavailable(SyncError):
    """The server answered with errors (5xx) or kept refusing for load (429) after the retries."""


class ServerBusy(ServerUnavailable):
    """The server answered 503 with Retry-After: busy (a long write holds the change log it reads from), so this sync
    stops here without retrying; nothing is lost, and the next sync goes on where this one stopped. ``retry_after``:
    the seconds the server asked for (0 when it named none the client could read)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the sync server is busy; asked to try again in {retry_after} s")
        self.retry_after = retry_after


class AuthFailed(SyncError):
    """The device credential was refused: enroll again with a new code from IT."""


class NotEnrolled(SyncError):
    """This profile has no device credential yet."""


class EnrollmentFailed(SyncError):
    """The enrollment code was unknown, used or expired."""


class AlreadyEnrolled(SyncError):
    """The server knows this profile's device id already (a profile restored from a backup taken before its
    enrollment, or a device IT revoked): only IT's ``readmit-device`` code for this device enrolls it."""


class UserMismatch(SyncError):
    """The enrollment code belongs to another user than this profile's (user ids compared ignoring case)."""


class DeviceRevoked(SyncError):
    """IT revoked this device. ``wiped`` tells whether the local profile was deleted; ``pending`` what blocked it;
    ``restored``: a restored profile being retired whose server would not let it pull before its last push, so its
    work was kept unsent (``sync.client.engine._pull_after_restore``)."""

    def __init__(self, kind: str, *, wiped: bool, pending: int = 0, restored: bool = False) -> None:
        super().__init__(f"device revoked ({kind}); wiped={wiped}")
        self.kind = kind
        self.wiped = wiped
        self.pending = pending
        self.restored = restored


class ServerRejected(SyncError):
    """The server refused a request as invalid (4xx): a bug or a version mismatch, never retried."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(f"server refused the request: HTTP {status} ({code})")
        self.status = status
        self.code = code


class AuditLogBroken(SyncError):
    """The profile's audit chain parted from the server's and does not verify itself (rows cut out or edited): it
    is not continued on the server's, which would hide the cut, and the sync stops before anything is pushed."""


class ChangeTooLarge(SyncError):
    """A pending entry larger than one request carries (written before ``ibic.limits.CHANGE_MAX_BYTES`` bounded the
    journal): not sent, since the server would refuse it with 413 at every sync. Shortening a text of that element
    rewrites the entry within the bound. ``record_type`` and ``record_id`` name its record (ids only)."""

    def __init__(self, record_type: str, record_id: str) -> None:
        super().__init__(f"a pending change of {record_type} {record_id} is larger than one request carries")
        self.record_type = record_type
        self.record_id = record_id


class ProtocolMismatch(ServerRejected):
    """The server speaks another protocol version: update the application."""
