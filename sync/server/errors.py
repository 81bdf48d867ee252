"""Errors the server turns into 4xx answers; messages are English and never carry field values."""

from __future__ import annotations


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
