"""A refusal ("samtycker inte") is a consent record with ``given`` false: it goes through the server's document
checks, the central system reads it as the laptop wrote it, and another laptop holds the same answers in the same
order, which tells a no and a yes given the same day apart (``ibic.consent.said_after``). A consent stored before
the answer could be chosen (no ``given`` in it, registered by the central system) is read as a consent given."""

from __future__ import annotations

from pathlib import Path

from sync_support import Env, make_laptop
from test_integration_api import _call, _key, _new_case, _register

from ibic.consent import Consent, ContactTarget, may_contact
from ibic.vocabulary import ConsentForm, ConsentRecipient
from sync.server.dev import DEMO_USER


def test_a_no_and_a_yes_the_same_day_reach_the_server_and_another_laptop_in_the_order_recorded(
    env: Env, tmp_path: Path
) -> None:
    key = _key(env)
    case, person, _ = _new_case()
    old = {"id": "old-consent", "recipient": "relative", "recipient_name": "Dottern Tova (fiktiv)", "form": "oral",
           "given_on": "2026-10-01"}  # as stored before the answer was a choice: no "given"
    case["consents"] = [old]
    assert _register(env, key, case, person).status_code == 201

    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    held = a.profile.cases.load(case["id"])
    assert [c.given for c in held.consents] == [True]
    tova = ContactTarget(ConsentRecipient.RELATIVE, "Dottern Tova (fiktiv)")
    no = Consent(recipient=ConsentRecipient.RELATIVE, recipient_name="Dottern Tova (fiktiv)",
                 form=ConsentForm.ORAL, given=False, given_on=held.consents[0].given_on.replace(month=11))
    yes = no.model_copy(update={"id": "yes-again", "given": True})
    held.consents += [no, yes]
    a.profile.cases.save(held)
    report = a.sync()
    assert (report.applied, report.rejected) == (2, 0)

    central = _call(env, key, "GET", f"/records/case/{case['id']}")
    assert central.status_code == 200, central.text
    answers = [(c["id"], c.get("given", True)) for c in central.json()["document"]["consents"]]
    assert answers == [("old-consent", True), (no.id, False), ("yes-again", True)]

    b.sync()
    consents = b.profile.cases.load(case["id"]).consents
    assert [(c.id, c.given) for c in consents] == answers
    assert may_contact(consents, tova, yes.given_on).consent_id == "yes-again", "the yes came after the no"
