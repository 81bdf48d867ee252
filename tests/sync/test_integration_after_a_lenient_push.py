"""A central write to a record that already holds a value the model reads leniently (one a laptop pushed before
s22-pushvals, when push_checks took it as sent: test_push_values_as_sent.py; put in by SQL here) is judged by what it
changes, as the model's other standing problems are. s22-probesrv's check of values as sent walked the whole record
after the write, so once a laptop had pushed ``"opened_on": 0`` every central write to that case (its provider, its
decision statuses, a decision) was refused naming opened_on, a field only the laptop writes. Fails on s22-probesrv
(the provider's write is 422); on main the write is taken but so is the last one, fictitious "yes" (the fault
s22-probesrv fixed)."""

from __future__ import annotations

from sync_support import Env, assigned_cases
from test_integration_api import _call, _key

from sync.server.dev import DEMO_USER


def test_a_central_write_is_taken_beside_a_leniently_stored_value_and_a_new_one_still_refused(env: Env) -> None:
    key = _key(env)
    device = env.enroll(DEMO_USER, "laptop-lenient")
    row = assigned_cases(env, DEMO_USER)[0]
    env.sql("UPDATE records SET document_rest = document_rest || '{\"opened_on\": 0}'::jsonb"
            " WHERE record_type = 'case' AND record_id = %s", (row["case_id"],))
    assert device.record("case", row["case_id"])["document"]["opened_on"] == 0
    answer = _call(env, key, "PATCH", f"/records/case/{row['case_id']}", {"values": {"chosen_provider": "Omsorg AB"}})
    assert answer.status_code == 200, answer.text
    assert device.record("case", row["case_id"])["document"]["chosen_provider"] == "Omsorg AB"
    refused = _call(env, key, "PATCH", f"/records/person/{row['person_id']}", {"values": {"fictitious": "yes"}})
    assert refused.status_code == 422, refused.text
