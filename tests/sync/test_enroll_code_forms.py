"""An enrollment code as a person may type it (s33-probe): in full width (an East Asian input method) or with
Arabic-Indic digits, IT's code is the code. The server refused both as "unknown, used or expired" (401), and the
laptop told the handläggare to ask IT for a new code. Sent by HTTP as a laptop sends it."""

from __future__ import annotations

import httpx
from sync_support import VERIFY, Env

from sync.server.dev import DEMO_USER


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


def _arabic_indic_digits(text: str) -> str:
    return "".join(chr(0x0660 + int(ch)) if ch.isdigit() else ch for ch in text)


def _enroll(env: Env, code: str, device_id: str) -> httpx.Response:
    return httpx.post(f"{env.base_url}/v1/enroll", json={"code": code, "device_id": device_id, "user_id": DEMO_USER},
                      verify=VERIFY)


def test_a_code_typed_in_full_width_enrolls(env: Env) -> None:
    code = env.new_code(DEMO_USER)
    answer = _enroll(env, _full_width(code), "laptop-wide")
    assert answer.status_code == 200, answer.text
    assert answer.json()["device_id"] == "laptop-wide"
    again = _enroll(env, code, "laptop-other")  # spent: the ASCII form of the same code is the same code
    assert again.status_code == 401 and again.json()["error"] == "enrollment_refused"


def test_a_code_typed_with_arabic_indic_digits_and_in_lower_case_enrolls(env: Env) -> None:
    # A code with a digit to fold (a code of letters only is issued about once in 30).
    code = next(c for c in (env.new_code(DEMO_USER) for _ in range(100)) if any(ch.isdigit() for ch in c))
    answer = _enroll(env, _arabic_indic_digits(code).lower(), "laptop-arabic")
    assert answer.status_code == 200, answer.text


def test_a_code_of_other_characters_is_still_refused(env: Env) -> None:
    env.new_code(DEMO_USER)
    answer = _enroll(env, "٢٣٤٥-٦٧٨٩-٢٣٤٥", "laptop-guess")  # digits of a code IT never issued
    assert answer.status_code == 401 and answer.json()["error"] == "enrollment_refused"
