"""An enrollment whose answer never reached the laptop (s26-probesrv). The server committed (code spent, device
stored) and the connection was cut before the answer arrived; the laptop's retry met "this device id is already
enrolled", the dialog said the code was wrong or used, and a new code from IT met the same refusal, as did one after
IT revoked the device: a profile makes its device id once, so it could never be enrolled, and only a new profile
(losing what was written in this one) was left. Now a device that has never made a request is enrolled again, with
a new credential, by the code that enrolled it or a new code of its user. Fails on main (EnrollmentFailed; 401)."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
from fault_proxy import Fault, FaultProxy
from sync_support import PASSPHRASE, Env, assigned_cases

from sync.server import central
from sync.server.db import connect
from sync.server.dev import DEMO_USER, OTHER_USER
from sync.server.logs import LOGGER_NAME


def _profile(directory: Path) -> object:
    from storage.kdf import KdfParameters
    from storage.profile import create_profile

    return create_profile(directory, PASSPHRASE, user_id=DEMO_USER,
                          kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))


def _enroll(env: Env, code: str, device_id: str) -> httpx.Response:
    return httpx.post(f"{env.base_url}/v1/enroll", json={"code": code, "device_id": device_id, "user_id": DEMO_USER})


def test_the_laptops_retry_after_a_lost_answer_enrolls_it_and_it_syncs(env: Env, proxy: FaultProxy,
                                                                       tmp_path: Path) -> None:
    from sync.client.credentials import CredentialStore
    from sync.client.engine import open_session, sync_now
    from sync.client.enrollment import enroll
    from sync.client.transport import RetryPolicy, Transport

    profile = _profile(tmp_path / "p")
    proxy.arm(Fault(direction="down", at=10))  # the answer's first bytes, then the connection is cut
    transport = Transport(f"http://127.0.0.1:{proxy.port}",
                          retry=RetryPolicy(attempts=4, base_seconds=0.05, cap_seconds=0.2))
    enroll(transport, CredentialStore(profile), code=env.new_code(DEMO_USER), device_id=profile.device_id,
           user_id=DEMO_USER)
    transport.close()
    assert proxy.cuts == 1
    assert env.sql("SELECT count(*) AS n FROM devices WHERE id = %s", (profile.device_id,)) == [{"n": 1}]
    report = sync_now(open_session(profile), profile)  # the credential it kept is the one the server holds
    assert profile.cases.count() == len(assigned_cases(env, DEMO_USER)) and report.pulled > 0
    profile.lock()


def test_a_new_code_enrolls_a_device_that_never_made_a_request_and_the_old_credential_is_refused(env: Env) -> None:
    first = _enroll(env, env.new_code(DEMO_USER), "laptop-unanswered")
    assert first.status_code == 200  # the answer the laptop never read
    again = _enroll(env, env.new_code(DEMO_USER), "laptop-unanswered")
    assert again.status_code == 200, again.text
    assert env.sql("SELECT count(*) AS n FROM enrollment_codes WHERE used_at IS NULL") == [{"n": 2}]  # the demo's
    refreshed = httpx.post(f"{env.base_url}/v1/token", json={"device_id": "laptop-unanswered",
                                                             "device_credential": first.json()["device_credential"]})
    assert refreshed.status_code == 401  # only the credential of the answer that arrived serves
    assert httpx.post(f"{env.base_url}/v1/token", json={
        "device_id": "laptop-unanswered", "device_credential": again.json()["device_credential"]}).status_code == 200


def test_a_device_that_made_a_request_or_is_revoked_or_another_users_code_is_still_refused(env: Env) -> None:
    code = env.new_code(DEMO_USER)
    answer = _enroll(env, code, "laptop-used")
    token = answer.json()["access_token"]
    pulled = httpx.post(f"{env.base_url}/v1/pull", json={}, headers={"Authorization": f"Bearer {token}"})
    assert pulled.status_code == 200  # the laptop got its answer and used it
    before = env.stored_counts()
    for attempt in (code, env.new_code(DEMO_USER)):
        refused = _enroll(env, attempt, "laptop-used")
        assert refused.status_code == 409 and "already enrolled" in refused.json()["message"], refused.text
    assert _enroll(env, env.new_code(DEMO_USER), "LAPTOP-USED").status_code == 409  # a case variant: another id
    unanswered = _enroll(env, env.new_code(DEMO_USER), "laptop-other")
    assert unanswered.status_code == 200
    other = httpx.post(f"{env.base_url}/v1/enroll",
                       json={"code": env.new_code(OTHER_USER), "device_id": "laptop-other"})
    assert other.status_code == 409 and "already enrolled" in other.json()["message"]  # not taken by another user
    assert env.stored_counts()["devices"] == before["devices"] + 1
    assert env.sql("SELECT user_id FROM devices WHERE id = 'laptop-other'") == [{"user_id": DEMO_USER}]
    with connect(env.database_url) as conn:  # revoked by IT (lost): no code of its user enrolls it (IT: readmit-device)
        central.revoke_device(conn, "laptop-other", "lost")
    revoked = _enroll(env, env.new_code(DEMO_USER), "laptop-other")
    assert revoked.status_code == 409 and "already enrolled" in revoked.json()["message"]


def test_a_device_that_only_refreshed_its_token_is_not_enrolled_again(env: Env) -> None:
    """A token refresh is a use of the credential (s26-rprobesrv): whoever holds the answer has the device. Before,
    a refresh left last_seen_at empty, and a new code of the user took the device id from the laptop using it."""
    first = _enroll(env, env.new_code(DEMO_USER), "laptop-refreshed")
    refreshed = httpx.post(f"{env.base_url}/v1/token", json={"device_id": "laptop-refreshed",
                                                             "device_credential": first.json()["device_credential"]})
    assert refreshed.status_code == 200
    again = _enroll(env, env.new_code(DEMO_USER), "laptop-refreshed")
    assert again.status_code == 409 and "already enrolled" in again.json()["message"], again.text


def test_the_lost_answers_access_token_is_refused_once_the_device_is_enrolled_again(env: Env) -> None:
    """The lost answer carried an access token as well as the credential (s26-rprobesrv): replacing the credential
    alone left that token serving the device for its lifetime, to whoever read the answer on the way."""
    first = _enroll(env, env.new_code(DEMO_USER), "laptop-token")
    again = _enroll(env, env.new_code(DEMO_USER), "laptop-token")
    assert again.status_code == 200, again.text

    def pull(answer: httpx.Response) -> int:
        return httpx.post(f"{env.base_url}/v1/pull", json={},
                          headers={"Authorization": f"Bearer {answer.json()['access_token']}"}).status_code

    assert pull(first) == 401
    assert pull(again) == 200
    assert env.sql("SELECT last_seen_at IS NOT NULL AS seen FROM devices WHERE id = 'laptop-token'") == [
        {"seen": True}]


def test_enrolling_a_device_again_is_logged(env: Env) -> None:
    """IT sees a device given a new credential (s26-rprobesrv): before, nothing was written anywhere."""
    seen: list[dict[str, object]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(dict(getattr(record, "fields", {})))

    logger = logging.getLogger(LOGGER_NAME)
    handler, level = Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        code = env.new_code(DEMO_USER)
        assert _enroll(env, code, "laptop-logged").status_code == 200
        assert not [f for f in seen if f.get("event") == "device_enrolled_again"]
        assert _enroll(env, code, "laptop-logged").status_code == 200
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert [f for f in seen if f.get("event") == "device_enrolled_again"] == [
        {"event": "device_enrolled_again", "device": "laptop-logged"}]


def test_the_code_that_enrolled_the_device_serves_again_only_within_its_own_validity(env: Env) -> None:
    code = env.new_code(DEMO_USER)
    assert _enroll(env, code, "laptop-late").status_code == 200
    env.sql("UPDATE enrollment_codes SET expires_at = now() - interval '1 second' WHERE used_at IS NOT NULL")
    late = _enroll(env, code, "laptop-late")
    assert late.status_code == 409 and "already enrolled" in late.json()["message"], late.text
    assert _enroll(env, env.new_code(DEMO_USER), "laptop-late").status_code == 200  # a new code of its user serves
