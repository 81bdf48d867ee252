"""Enroll this laptop with the one-time code from IT; the device credential is stored for later sessions."""

from __future__ import annotations

from sync.client.credentials import CredentialStore, DeviceCredentials
from sync.client.session import Session
from sync.client.transport import Transport, Unauthorised
from sync.errors import EnrollmentFailed, UserMismatch
from sync.protocol import EnrollRequest, EnrollResponse


def enroll(transport: Transport, store: CredentialStore, *, code: str, device_id: str, user_id: str,
           device_name: str = "") -> Session:
    """Spend ``code`` for this profile's device; refuses a code issued to another user than the profile's."""
    request = EnrollRequest(code=code.strip(), device_id=device_id, device_name=device_name[:100])
    try:
        answer = transport.post("/v1/enroll", request, EnrollResponse)
    except Unauthorised:
        raise EnrollmentFailed("the enrollment code was refused") from None
    if answer.user_id != user_id:
        # The device is enrolled on the server now; IT revokes it. Nothing is stored locally.
        raise UserMismatch("the enrollment code belongs to another user than this profile")
    credentials = DeviceCredentials(
        server_url=transport.base_url, device_id=answer.device_id, user_id=answer.user_id, unit_id=answer.unit_id,
        device_credential=answer.device_credential,
    )
    store.save(credentials)
    return Session(transport, credentials, answer.access_token)
