"""A case number from the central system that starts like a formula keeps its "'" in the report's CSV even when what
follows the sign is a digit of another script (s25-probesrv). "-٣" (Arabic-Indic three) passed as a plain number,
since the check's ``\\d`` matched every Unicode digit, and Excel ran the cell as the formula =-٣. Fails on main."""

from __future__ import annotations

import httpx
import pytest
from sync_support import Env
from test_integration_api import _call, _key, _new_case, _register

from ibic.reports.table import WITHHELD
from sync.server import roles
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER
from tests.domain.test_reports import cells


@pytest.mark.parametrize("number", ["-٣", "+١٢", "-３", "-1,٥"])
def test_a_sign_before_digits_of_another_script_is_kept_as_text(env: Env, number: str) -> None:
    key = _key(env)
    case, person, decision = _new_case(with_decision=True)
    case["case_number"] = number
    assert _register(env, key, case, person).status_code == 201
    assert _call(env, key, "POST", f"/cases/{case['id']}/decisions", decision).status_code == 201  # in the review
    with connect(env.database_url) as conn:
        roles.set_role(conn, DEMO_USER, roles.UNIT_REPORTS)
    desk = env.enroll(DEMO_USER, "desk-1")
    answer = httpx.get(f"{env.base_url}/v1/reports/units/{DEMO_UNIT}/checklist", headers=desk.headers(), timeout=60,
                       params={"from": "1900-01-01", "to": "2099-12-31", "sample_size": "1000"})
    assert answer.status_code == 200, answer.text
    numbers = {row[0] for row in cells(answer.content)[1:]}
    assert "'" + number in numbers, numbers
    assert number not in numbers and WITHHELD not in numbers
