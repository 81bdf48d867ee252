"""Enroll this laptop with the one-time code from IT; the device credential is stored for later sessions."""

from __future__ import annotations

from sync.client.credentials import CredentialStore, DeviceCredentials
from sync.client.session import Session
from sync.client.transport import Transport, Unauthorised
from sync.errors import AlreadyEnrolled, EnrollmentFailed, ServerRejected, UserMismatch
from sync.protocol import EnrollRequest, EnrollResponse, same_user_id


def enroll(transport: Transport, store: CredentialStore, *, code: str, device_id: str, user_id: str,
           device_name: str = "") -> Session:
    """Spend ``code`` for this profile's device; a code issued to another user than the profile's is refused by the
    server before it is spent (``UserMismatch``). User ids ignore case (AD accounts): a profile made as "Anna.Berg"
    enrolls with IT's "anna.berg" and takes that spelling (``Profile.take_user_spelling``)."""
    request = EnrollRequest(code=code.strip(), device_id=device_id, device_name=device_name[:100], user_id=user_id)
    try:
        answer = transport.post("/v1/enroll", request, EnrollResponse)
    except Unauthorised:
        raise EnrollmentFailed("the enrollment code was refused") from None
    except ServerRejected as exc:
        if exc.code == "device_already_enrolled":
            raise AlreadyEnrolled("the server knows this device already: IT re-admits it") from None
        if exc.code != "code_for_another_user":
            raise
        raise UserMismatch("the enrollment code belongs to another user than this profile") from None
    if not same_user_id(answer.user_id, user_id):  # a server that did not check: the device is enrolled, IT revokes it
        raise UserMismatch("the enrollment code belongs to another user than this profile")
    # Before the credential: a profile left with the server's spelling and no credential enrolls again as before.
    store.profile.take_user_spelling(answer.user_id)
    credentials = DeviceCredentials(
        server_url=transport.base_url, device_id=answer.device_id, user_id=answer.user_id, unit_id=answer.unit_id,
        device_credential=answer.device_credential,
    )
    store.save(credentials)
    return Session(transport, credentials, answer.access_token)
