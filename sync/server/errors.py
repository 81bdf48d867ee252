"""Errors the server turns into 4xx answers; messages are English and never carry field values."""

from __future__ import annotations

from typing import Any

from sync.protocol import ErrorBody


class ServiceError(Exception):
    """Base: ``status`` and ``code`` become the HTTP answer."""

    status = 400
    code = "bad_request"


class AccessDenied(ServiceError):
    status = 403
    code = "forbidden"


class NotAuthenticated(ServiceError):
    status = 401
    code = "not_authenticated"


class OpIdReused(ServiceError):
    status = 409
    code = "op_id_reused"


class AuditChainBroken(ServiceError):
    status = 409
    code = "audit_chain_broken"


class RecordMissing(ServiceError):
    status = 404
    code = "not_found"


class RateLimited(ServiceError):
    status = 429
    code = "rate_limited"


class EnrollmentRefused(ServiceError):
    status = 401
    code = "enrollment_refused"


class DeviceAlreadyEnrolled(ServiceError):
    """The device id is enrolled already and cannot be enrolled again by this code: its laptop lost its credential
    (a profile restored from a backup taken before the enrollment) or IT revoked it. IT's way on is
    ``readmit-device`` (docs/deployment.md). 409, not 401: the code is not what is wrong, and the laptop says so."""

    status = 409
    code = "device_already_enrolled"


class CodeForAnotherUser(ServiceError):
    """An enrollment code of another user than the one the laptop's profile names; the code stays unspent."""

    status = 403
    code = "code_for_another_user"


class CaseExists(ServiceError):
    status = 409
    code = "case_exists"


class CentralWriteRefused(ServiceError):
    """A central write that could not apply as a whole; nothing of it was stored."""

    status = 409
    code = "write_refused"


class AssigneeInvalid(ServiceError):
    status = 422
    code = "invalid_assignee"


class DocumentInvalid(ServiceError):
    """A document from the central system that breaks the domain model (named by place, never by value)."""

    status = 422
    code = "invalid_document"


class IntegrationExists(ServiceError):
    status = 409
    code = "integration_exists"


class IntegrationInvalid(ServiceError):
    """An integration id that cannot name a writer in the change log (``central:<id>``, 64 characters at most)."""

    status = 422
    code = "invalid_integration"


class InputInvalid(ServiceError):
    """A value IT gave the admin command that the server cannot use (named by rule, never by value)."""

    status = 422
    code = "invalid_input"


class ServerBusy(ServiceError):
    """The server cannot answer now for a writer it must wait for (the change log's barrier, ``ordering``): nothing
    was read or changed; ask again after ``retry_after`` seconds (the Retry-After header)."""

    status = 503
    code = "server_busy"

    def __init__(self, retry_after: int) -> None:
        super().__init__("The server is busy with a long write and cannot answer now; nothing was changed. Try again"
                         f" in {retry_after} seconds.")
        self.retry_after = retry_after


# The answer of a route that reads the change log by seq (the pull, the integration feed), for the OpenAPI document.
BUSY: dict[int | str, dict[str, Any]] = {503: {
    "model": ErrorBody, "description": "The server is busy (a long write holds the change log): ask again later",
    "headers": {"Retry-After": {"description": "Seconds to wait before asking again", "schema": {"type": "integer"}}},
}}
