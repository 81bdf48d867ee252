"""The enrollment's user check (s25-rodd, s26-probesrv). A code for another user than the laptop profile's is refused
by the server before the code is spent: 403 code_for_another_user, nothing stored, the code still good for its own
user. User ids are the municipality's AD accounts, which ignore case: a profile made as "Demo-User" where IT created
"demo-user" was refused too (code_for_user_in_other_case), and no spelling but a new profile could cure it. Now the
two are one user: the enrollment succeeds, the laptop takes the server's spelling, and what the profile wrote before
(its audit entries, a journal entry naming "Demo-User") is taken by the server as this user's. The case-variant
tests fail on main (403 on the route; the dialog said the names must be written alike; a push's op naming the user
in another case rejected)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx
import pytest
from PySide6.QtCore import Qt
from sync_support import PASSPHRASE, VERIFY, Env, assigned_cases, version_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # the UI tests' keyboard helpers
from uihelpers import type_text

from sync.server.dev import DEMO_UNIT, DEMO_USER, OTHER_USER


def _spent(env: Env) -> int:
    return int(env.sql("SELECT count(*) AS n FROM enrollment_codes WHERE used_at IS NOT NULL")[0]["n"])


def _enroll(env: Env, code: str, device_id: str, named: str) -> httpx.Response:
    return httpx.post(f"{env.base_url}/v1/enroll", verify=VERIFY,
                      json={"code": code, "device_id": device_id, "user_id": named})


@pytest.mark.parametrize("named", [
    OTHER_USER,
    "Åsa Öberg",  # a user id IT may type: printable, not only the protocol's ids
    "demo-user\u0307",  # a combining dot: another id, not a case variant
])
def test_a_code_of_another_user_is_refused_before_it_is_spent(env: Env, named: str) -> None:
    code = env.new_code(DEMO_USER)
    stored, spent = env.stored_counts(), _spent(env)
    answer = _enroll(env, code, "laptop-named", named)
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"] == "code_for_another_user"
    assert named not in answer.text  # the answer names no user
    assert env.stored_counts() == stored and _spent(env) == spent
    # The code is still good for its own user, on this very device id.
    again = _enroll(env, code, "laptop-named", DEMO_USER)
    assert again.status_code == 200 and again.json()["user_id"] == DEMO_USER


@pytest.mark.parametrize("named", [DEMO_USER.upper(), "Demo-User", "dEMO-uSER"])
def test_a_profile_naming_its_user_in_another_case_enrolls_as_the_server_spells_it(env: Env, named: str) -> None:
    code = env.new_code(DEMO_USER)
    answer = _enroll(env, code, "laptop-cased", named)
    assert answer.status_code == 200, answer.text
    assert answer.json()["user_id"] == DEMO_USER  # the server's spelling, which the laptop takes
    assert env.sql("SELECT user_id FROM devices WHERE id = 'laptop-cased'") == [{"user_id": DEMO_USER}]
    assert _enroll(env, code, "laptop-cased-2", DEMO_USER).status_code == 401  # spent once, as any code


def test_a_user_from_before_the_case_rule_named_exactly_is_another_user(env: Env) -> None:
    # Two users differing only in case can no longer be created (create-user); one made before the rule is another
    # account, and a profile naming it exactly must not be enrolled as the code's user.
    env.sql("INSERT INTO users (id, unit_id) VALUES ('Demo-User', %s)", (DEMO_UNIT,))
    code = env.new_code(DEMO_USER)
    answer = _enroll(env, code, "laptop-legacy", "Demo-User")
    assert answer.status_code == 403 and answer.json()["error"] == "code_for_another_user", answer.text
    # A third spelling names neither of the two (access.stored_user_id); the exact one still enrolls.
    assert _enroll(env, code, "laptop-legacy", "DEMO-USER").json()["error"] == "code_for_another_user"
    assert _enroll(env, code, "laptop-legacy", DEMO_USER).json()["user_id"] == DEMO_USER


def test_a_laptop_that_names_no_user_enrolls_as_before(env: Env) -> None:
    answer = httpx.post(f"{env.base_url}/v1/enroll", verify=VERIFY,
                        json={"code": env.new_code(OTHER_USER), "device_id": "older-laptop"})
    assert answer.status_code == 200 and answer.json()["user_id"] == OTHER_USER


def test_a_pushed_op_naming_the_user_in_another_case_is_applied(env: Env) -> None:
    # A profile's journal entries written before its enrollment name the user as the profile was made.
    device = env.enroll(DEMO_USER, "laptop-old-entries")
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    change = device.change(case_id, "origin_note", "Skrivet före anslutningen.", version_of(env, "case", case_id))
    answer = device.push([change.model_copy(update={"user_id": "Demo-User"})])
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["status"] == "applied", answer.text
    assert env.sql("SELECT user_id FROM change_log WHERE op_id = %s", (change.op_id,)) == [{"user_id": DEMO_USER}]


def test_the_dialog_enrolls_a_profile_naming_its_user_in_another_case_and_the_laptop_takes_the_servers_spelling(
    qtbot: Any, env: Env, tmp_path: Path
) -> None:
    from storage.kdf import KdfParameters
    from storage.profile import create_profile, unlock_profile
    from sync.client.credentials import CredentialStore
    from sync.client.engine import open_session, sync_now
    from ui.sync.enrollment_dialog import EnrollmentDialog

    profile = create_profile(tmp_path / "profile", PASSPHRASE, user_id="Demo-User",
                             kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))
    profile.audit.record("view", detail="före anslutningen")  # an entry naming the user as the profile was made
    dialog = EnrollmentDialog(profile, env.base_url)
    qtbot.addWidget(dialog)
    enrolled: list[Any] = []
    dialog.enrolled.connect(enrolled.append)
    dialog.show()
    type_text(dialog.code, env.new_code(DEMO_USER))
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)  # the default button: Anslut
    qtbot.waitUntil(lambda: bool(enrolled), timeout=30_000)
    assert env.sql("SELECT user_id FROM devices WHERE id = %s", (profile.device_id,)) == [{"user_id": DEMO_USER}]
    assert profile.user_id == DEMO_USER
    stored = CredentialStore(profile).load()
    assert stored is not None and stored.user_id == DEMO_USER

    session = open_session(profile)  # as the window's sync opens one
    sync_now(session, profile)  # the entry from before is uploaded: the server takes it as this user's
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    case = profile.cases.load(case_id)
    case.origin_note = "Efter anslutningen."
    profile.cases.save(case)
    assert [c.user_id for c in profile.journal.pending()] == [DEMO_USER]  # new entries: the server's spelling
    report = sync_now(session, profile)
    assert report.applied == 1 and report.rejected == 0
    audit = env.sql("SELECT user_id, detail FROM audit_entries WHERE device_id = %s ORDER BY seq", (profile.device_id,))
    assert audit[0] == {"user_id": "Demo-User", "detail": "före anslutningen"}  # as sent: its hash covers it
    assert {row["user_id"] for row in audit[1:]} == {DEMO_USER}
    profile.lock()
    reopened = unlock_profile(tmp_path / "profile", PASSPHRASE, backup=False)
    assert reopened.user_id == DEMO_USER  # kept in the profile
    reopened.lock()


def test_an_empty_or_long_user_name_is_refused_in_words_about_text_and_nothing_is_spent(env: Env) -> None:
    # Refused before (422), but said as "Value should have at least 1 item after validation, not 0", as of a list.
    code = env.new_code(DEMO_USER)
    for named, said in (("", "at least 1 character"), ("a" * 65, "at most 64 characters")):
        answer = _enroll(env, code, "laptop-empty", named)
        assert answer.status_code == 422, answer.text
        assert answer.json()["details"] == [f"body/user_id: String should have {said}"]
    assert _spent(env) == 0


def test_a_device_a_session_25_laptop_refused_the_answer_for_is_enrolled_again_without_it(env: Env,
                                                                                         tmp_path: Path) -> None:
    """A session-25 laptop whose profile names its user in another case is enrolled by this server, then refuses the
    answer itself (its own exact check). The updated laptop enrolls that device id again with a code of its user,
    IT doing nothing (the device never made a request: *An answer lost*, docs/sync.md); a revocation, as the docs
    advised, would have kept that id from ever being enrolled (s26-rprobesrv)."""
    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from sync.client.credentials import CredentialStore
    from sync.client.engine import open_session, sync_now
    from sync.client.enrollment import enroll
    from sync.client.transport import Transport

    profile = create_profile(tmp_path / "profile", PASSPHRASE, user_id="Demo-User",
                             kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))
    profile.audit.record("view", detail="före anslutningen")
    refused_by_the_laptop = _enroll(env, env.new_code(DEMO_USER), profile.device_id, "Demo-User")
    assert refused_by_the_laptop.status_code == 200  # the session-25 laptop stored nothing of it
    transport = Transport(env.base_url)
    enroll(transport, CredentialStore(profile), code=env.new_code(DEMO_USER), device_id=profile.device_id,
           user_id=profile.user_id)
    transport.close()
    assert profile.user_id == DEMO_USER
    report = sync_now(open_session(profile), profile)
    assert report.pulled > 0
    assert profile.audit.verify().ok  # both spellings in one chain
    assert env.sql("SELECT user_id FROM audit_entries WHERE device_id = %s ORDER BY seq LIMIT 1",
                   (profile.device_id,)) == [{"user_id": "Demo-User"}]
    profile.lock()
