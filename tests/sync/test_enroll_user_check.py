"""A code for another user than the laptop profile's is refused by the server before the code is spent (s25-rodd).
Before, the server spent the code and enrolled the device, and only the laptop then said "the code belongs to
another user" (a profile naming its user "Demo-User" where IT created "demo-user" too): IT had to revoke a device
nobody used and issue a new code, which met the same refusal. Now the laptop sends its profile's user name and the
server compares it first: 403, nothing stored, the code still good for its own user. Fails on s25-odd (200, code
spent, device enrolled; the dialog's test: a device row and a spent code)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx
import pytest
from PySide6.QtCore import Qt
from sync_support import PASSPHRASE, VERIFY, Env

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # the UI tests' keyboard helpers
from uihelpers import type_text

from sync.server.dev import DEMO_USER, OTHER_USER


def _spent(env: Env) -> int:
    return int(env.sql("SELECT count(*) AS n FROM enrollment_codes WHERE used_at IS NOT NULL")[0]["n"])


@pytest.mark.parametrize(("named", "error"), [
    (DEMO_USER.upper(), "code_for_user_in_other_case"),
    ("Demo-User", "code_for_user_in_other_case"),
    (OTHER_USER, "code_for_another_user"),
    ("Åsa Öberg", "code_for_another_user"),  # a user id IT may type: printable, not only the protocol's ids
])
def test_a_code_of_another_user_is_refused_before_it_is_spent(env: Env, named: str, error: str) -> None:
    code = env.new_code(DEMO_USER)
    stored, spent = env.stored_counts(), _spent(env)
    answer = httpx.post(f"{env.base_url}/v1/enroll", verify=VERIFY,
                        json={"code": code, "device_id": "laptop-named", "user_id": named})
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"] == error
    assert named not in answer.text  # the answer names no user
    assert env.stored_counts() == stored and _spent(env) == spent
    # The code is still good for its own user, on this very device id.
    again = httpx.post(f"{env.base_url}/v1/enroll", verify=VERIFY,
                       json={"code": code, "device_id": "laptop-named", "user_id": DEMO_USER})
    assert again.status_code == 200 and again.json()["user_id"] == DEMO_USER


def test_a_laptop_that_names_no_user_enrolls_as_before(env: Env) -> None:
    answer = httpx.post(f"{env.base_url}/v1/enroll", verify=VERIFY,
                        json={"code": env.new_code(OTHER_USER), "device_id": "older-laptop"})
    assert answer.status_code == 200 and answer.json()["user_id"] == OTHER_USER


def test_the_dialog_says_the_user_name_differs_in_case_and_the_code_stays_unspent(
    qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None
) -> None:
    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from sync.client.credentials import CredentialStore
    from ui.sync.enrollment_dialog import EnrollmentDialog

    profile = create_profile(tmp_path / "profile", PASSPHRASE, user_id="Demo-User",
                             kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))
    code = env.new_code(DEMO_USER)
    spent = _spent(env)
    dialog = EnrollmentDialog(profile, env.base_url)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.code, code)
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)  # the default button: Anslut
    assert not dialog.connect_button.isEnabled()  # sent: the button comes back with the answer
    qtbot.waitUntil(dialog.connect_button.isEnabled, timeout=30_000)
    assert env.sql("SELECT id FROM devices WHERE id = %s", (profile.device_id,)) == []
    assert _spent(env) == spent
    said = dialog.message.text()
    assert "stora och små bokstäver" in said and "Demo-User" in said, said
    assert dialog.isVisible() and dialog.code.text() == code  # nothing typed is lost
    assert CredentialStore(profile).load() is None
    profile.lock()
