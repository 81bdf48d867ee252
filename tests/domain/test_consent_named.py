"""A consent to a named relative covers that relative only (issue 13, point 4)."""

from __future__ import annotations

from datetime import date

from ibic.consent import Consent, ContactTarget, may_contact
from ibic.vocabulary import ConsentForm, ConsentRecipient

DAY = date(2026, 11, 23)


def _to(name: str, recipient: ConsentRecipient = ConsentRecipient.RELATIVE) -> Consent:
    return Consent(recipient=recipient, recipient_name=name, form=ConsentForm.WRITTEN, given_on=date(2026, 11, 1))


def test_consent_to_dottern_tova_does_not_open_a_contact_with_an_unnamed_relative() -> None:
    answer = may_contact([_to("Dottern Tova")], ContactTarget(ConsentRecipient.RELATIVE), DAY)
    assert not answer.allowed
    assert answer.consent_id is None
    assert "OSL 26 kap. 1 §" in answer.reason_sv


def test_consent_to_dottern_tova_does_not_cover_another_named_relative() -> None:
    assert not may_contact([_to("Dottern Tova")], ContactTarget(ConsentRecipient.RELATIVE, "Sonen Olle"), DAY).allowed


def test_consent_to_dottern_tova_covers_her_however_the_name_is_spaced_or_cased() -> None:
    given = _to("Dottern Tova")
    answer = may_contact([given], ContactTarget(ConsentRecipient.RELATIVE, "  dottern   TOVA "), DAY)
    assert answer.allowed and answer.consent_id == given.id


def test_a_consent_to_relatives_without_a_name_covers_a_named_relative() -> None:
    assert may_contact([_to("")], ContactTarget(ConsentRecipient.RELATIVE, "Dottern Tova"), DAY).allowed


def test_a_refusal_naming_tova_does_not_stop_a_general_consent_for_another_relative() -> None:
    refusal = Consent(recipient=ConsentRecipient.RELATIVE, recipient_name="Dottern Tova", form=ConsentForm.ORAL,
                      given=False, given_on=date(2026, 11, 10))
    general = _to("")
    answer = may_contact([general, refusal], ContactTarget(ConsentRecipient.RELATIVE, "Sonen Olle"), DAY)
    assert answer.allowed and answer.consent_id == general.id
    assert not may_contact([general, refusal], ContactTarget(ConsentRecipient.RELATIVE, "Dottern Tova"), DAY).allowed
