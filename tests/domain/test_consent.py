"""Consent: "may I contact X about this case?" with the reason, and the chosen utförare rule (seed 001)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from ibic.consent import Consent, ContactTarget, in_force, may_contact, refused_later, standing_refusals
from ibic.vocabulary import ConsentForm, ConsentRecipient

DAY = date(2026, 11, 23)
DAUGHTER = ContactTarget(ConsentRecipient.RELATIVE, "Dottern Tova (fiktiv)")
PROVIDER = "Hemtjänst Demo AB"


def consent(
    recipient: ConsentRecipient = ConsentRecipient.RELATIVE,
    name: str = "Dottern Tova (fiktiv)",
    *,
    form: ConsentForm = ConsentForm.WRITTEN,
    given: bool = True,
    given_on: date = date(2026, 11, 1),
    withdrawn_on: date | None = None,
) -> Consent:
    return Consent(
        recipient=recipient, recipient_name=name, form=form, given=given, given_on=given_on, withdrawn_on=withdrawn_on
    )


def test_active_written_consent_allows_the_contact_and_names_it() -> None:
    given = consent()
    answer = may_contact([given], DAUGHTER, DAY)
    assert answer.allowed
    assert answer.consent_id == given.id
    assert answer.reason_sv == "Den enskilde har gett skriftligt samtycke 2026-11-01."


def test_a_limited_consent_says_what_it_covers_where_a_contact_rests_on_it() -> None:
    """s35-probedocs: the uppdrag's box and the request for underlag said nothing of the limit."""
    limited = consent().model_copy(update={"scope": "endast genomförandeplanen "})
    assert may_contact([limited], DAUGHTER, DAY).reason_sv == (
        "Den enskilde har gett skriftligt samtycke 2026-11-01, som omfattar: endast genomförandeplanen.")
    oral = limited.model_copy(update={"recipient": ConsentRecipient.PROVIDER, "recipient_name": "Hemtjänst Demo AB",
                                      "form": ConsentForm.ORAL})
    chosen = ContactTarget(ConsentRecipient.PROVIDER, "Hemtjänst Demo AB")
    assert may_contact([oral], chosen, DAY, chosen_provider="Hemtjänst Demo AB").reason_sv == (
        "Utföraren som den enskilde valt omfattas: muntligt samtycke, som omfattar: endast genomförandeplanen.")


def test_active_oral_consent_says_oral() -> None:
    answer = may_contact([consent(form=ConsentForm.ORAL)], DAUGHTER, DAY)
    assert answer.allowed
    assert "muntligt" in answer.reason_sv


def test_no_consent_means_secrecy() -> None:
    answer = may_contact([], DAUGHTER, DAY)
    assert not answer.allowed
    assert answer.consent_id is None
    assert "OSL 26 kap. 1 §" in answer.reason_sv


def test_consent_given_after_the_day_does_not_cover_it() -> None:
    assert not may_contact([consent(given_on=date(2026, 11, 24))], DAUGHTER, DAY).allowed


def test_withdrawn_consent_stops_the_contact_from_the_withdrawal_day() -> None:
    withdrawn = consent(withdrawn_on=DAY)
    assert may_contact([withdrawn], DAUGHTER, date(2026, 11, 22)).allowed
    answer = may_contact([withdrawn], DAUGHTER, DAY)
    assert not answer.allowed
    assert answer.reason_sv == "Den enskilde återkallade sitt samtycke 2026-11-23."


def test_the_latest_withdrawal_is_the_one_named() -> None:
    older = consent(given_on=date(2026, 1, 1), withdrawn_on=date(2026, 3, 1))
    newer = consent(given_on=date(2026, 5, 1), withdrawn_on=date(2026, 9, 1))
    assert "2026-09-01" in may_contact([older, newer], DAUGHTER, DAY).reason_sv


def test_a_new_consent_after_a_withdrawal_allows_again() -> None:
    old = consent(given_on=date(2026, 1, 1), withdrawn_on=date(2026, 3, 1))
    new = consent(given_on=date(2026, 4, 1))
    assert may_contact([old, new], DAUGHTER, DAY).consent_id == new.id


def test_refused_consent_is_a_no_with_its_own_reason() -> None:
    answer = may_contact([consent(given=False)], DAUGHTER, DAY)
    assert not answer.allowed
    assert answer.reason_sv == "Den enskilde har sagt nej till kontakten."


def test_withdrawal_before_the_consent_date_is_refused() -> None:
    with pytest.raises(ValidationError):
        consent(given_on=DAY, withdrawn_on=date(2026, 11, 1))


def test_consent_for_one_category_does_not_open_another() -> None:
    healthcare = consent(ConsentRecipient.HEALTHCARE, "Avdelning 12")
    assert not may_contact([healthcare], ContactTarget(ConsentRecipient.LANDLORD, "Avdelning 12"), DAY).allowed


def test_consent_for_a_named_relative_does_not_cover_another_relative() -> None:
    answer = may_contact([consent()], ContactTarget(ConsentRecipient.RELATIVE, "Sonen Sven (fiktiv)"), DAY)
    assert not answer.allowed


def test_names_are_compared_without_regard_to_case() -> None:
    target = ContactTarget(ConsentRecipient.RELATIVE, "DOTTERN TOVA (FIKTIV)")
    assert may_contact([consent()], target, DAY).allowed


def test_category_consent_without_a_name_covers_anyone_in_the_category() -> None:
    any_healthcare = consent(ConsentRecipient.HEALTHCARE, "")
    assert may_contact([any_healthcare], ContactTarget(ConsentRecipient.HEALTHCARE, "Vårdcentralen"), DAY).allowed


def test_named_person_consent_needs_the_name_on_both_sides() -> None:
    named = consent(ConsentRecipient.NAMED_PERSON, "Grannen Gun (fiktiv)")
    assert may_contact([named], ContactTarget(ConsentRecipient.NAMED_PERSON, "Grannen Gun (fiktiv)"), DAY).allowed
    assert not may_contact([named], ContactTarget(ConsentRecipient.NAMED_PERSON, "Grannen Bo"), DAY).allowed
    assert not may_contact([named], ContactTarget(ConsentRecipient.NAMED_PERSON, ""), DAY).allowed
    unnamed = consent(ConsentRecipient.NAMED_PERSON, "")
    assert not may_contact([unnamed], ContactTarget(ConsentRecipient.NAMED_PERSON, "Grannen Gun"), DAY).allowed


def test_chosen_provider_is_covered_once_the_person_signed_the_application() -> None:
    answer = may_contact(
        [],
        ContactTarget(ConsentRecipient.PROVIDER, PROVIDER),
        DAY,
        chosen_provider=PROVIDER,
        application_signed_by_person=True,
    )
    assert answer.allowed
    assert "skrivit under ansökan" in answer.reason_sv


def test_chosen_provider_is_covered_by_oral_consent() -> None:
    oral = consent(ConsentRecipient.PROVIDER, PROVIDER, form=ConsentForm.ORAL)
    answer = may_contact([oral], ContactTarget(ConsentRecipient.PROVIDER, PROVIDER), DAY, chosen_provider=PROVIDER)
    assert answer.allowed
    assert answer.consent_id == oral.id
    assert "muntligt samtycke" in answer.reason_sv


def test_chosen_provider_without_signature_or_consent_is_not_covered() -> None:
    answer = may_contact([], ContactTarget(ConsentRecipient.PROVIDER, PROVIDER), DAY, chosen_provider=PROVIDER)
    assert not answer.allowed


def test_chosen_provider_with_withdrawn_oral_consent_is_not_covered() -> None:
    oral = consent(ConsentRecipient.PROVIDER, PROVIDER, form=ConsentForm.ORAL, withdrawn_on=date(2026, 11, 20))
    target = ContactTarget(ConsentRecipient.PROVIDER, PROVIDER)
    assert not may_contact([oral], target, DAY, chosen_provider=PROVIDER).allowed


def test_the_signed_application_no_longer_covers_the_provider_once_the_person_withdrew_or_refused() -> None:
    """The person's latest word wins over the signature (fails on main: the signature covered it for good)."""
    target = ContactTarget(ConsentRecipient.PROVIDER, PROVIDER)
    withdrawn = consent(ConsentRecipient.PROVIDER, PROVIDER, withdrawn_on=date(2026, 11, 20))
    refused = consent(ConsentRecipient.PROVIDER, "", given=False, given_on=date(2026, 11, 20))
    for said in (withdrawn, refused):
        answer = may_contact([said], target, DAY, chosen_provider=PROVIDER, application_signed_by_person=True)
        assert not answer.allowed and "skrivit under ansökan" not in answer.reason_sv
    # A withdrawal dated after the day asked about does not reach back; a consent given again after it covers.
    assert may_contact([withdrawn], target, date(2026, 11, 19), chosen_provider=PROVIDER,
                       application_signed_by_person=True).allowed
    again = consent(ConsentRecipient.PROVIDER, PROVIDER, given_on=date(2026, 11, 21))
    assert may_contact([withdrawn, again], target, DAY, chosen_provider=PROVIDER,
                       application_signed_by_person=True).consent_id == again.id


def test_another_provider_is_not_covered_by_the_signed_application() -> None:
    other = ContactTarget(ConsentRecipient.PROVIDER, "Annan Omsorg AB")
    answer = may_contact([], other, DAY, chosen_provider=PROVIDER, application_signed_by_person=True)
    assert not answer.allowed


def test_another_provider_is_covered_only_by_its_own_consent() -> None:
    other = ContactTarget(ConsentRecipient.PROVIDER, "Annan Omsorg AB")
    own = consent(ConsentRecipient.PROVIDER, "Annan Omsorg AB")
    assert may_contact([own], other, DAY, chosen_provider=PROVIDER).allowed


def test_provider_rule_needs_a_chosen_provider() -> None:
    target = ContactTarget(ConsentRecipient.PROVIDER, PROVIDER)
    assert not may_contact([], target, DAY, chosen_provider="", application_signed_by_person=True).allowed


def test_active_on_covers_given_day_up_to_the_day_before_withdrawal() -> None:
    c = consent(given_on=date(2026, 11, 1), withdrawn_on=date(2026, 11, 10))
    assert not c.active_on(date(2026, 10, 31))
    assert c.active_on(date(2026, 11, 1))
    assert c.active_on(date(2026, 11, 9))
    assert not c.active_on(date(2026, 11, 10))
    assert not consent(given=False).active_on(DAY)


def test_a_refusal_recorded_after_a_consent_wins() -> None:
    earlier_yes = consent(given_on=date(2026, 10, 1))
    later_no = consent(given=False, given_on=date(2026, 11, 10))
    answer = may_contact([earlier_yes, later_no], DAUGHTER, DAY)
    assert not answer.allowed
    assert answer.reason_sv == "Den enskilde har sagt nej till kontakten."
    # Before the refusal was recorded, the consent applied.
    assert may_contact([earlier_yes, later_no], DAUGHTER, date(2026, 11, 9)).allowed


def test_a_consent_given_after_an_earlier_refusal_allows() -> None:
    earlier_no = consent(given=False, given_on=date(2026, 10, 1))
    later_yes = consent(given_on=date(2026, 11, 10))
    assert may_contact([earlier_no, later_yes], DAUGHTER, DAY).consent_id == later_yes.id


def test_a_refusal_ends_an_earlier_consent_and_stands_until_a_consent_is_given_again() -> None:
    """``in_force`` and ``standing_refusals`` read the person's latest word as ``may_contact`` does (s26-consent)."""
    yes = consent(given_on=date(2026, 10, 1))
    no_to_relatives = consent(name="", given=False, given_on=date(2026, 11, 10))  # any relative, Tova too
    consents = [yes, no_to_relatives]
    assert in_force(consents, yes, date(2026, 11, 9)) and not in_force(consents, yes, DAY)
    assert refused_later(consents, yes, DAY) is no_to_relatives
    assert standing_refusals(consents, DAY) == [no_to_relatives]
    assert standing_refusals(consents, date(2026, 11, 9)) == []  # not said yet
    again = consent(name="", given_on=date(2026, 11, 20))
    assert standing_refusals([*consents, again], DAY) == []
    only_tova_again = consent(given_on=date(2026, 11, 20))  # a named consent does not answer a no to all relatives
    assert standing_refusals([*consents, only_tova_again], DAY) == [no_to_relatives]
    assert in_force([*consents, only_tova_again], only_tova_again, DAY)


def test_the_newer_word_counts_a_yes_after_a_no_the_same_day_too() -> None:
    """A consent given after a no is the person's latest word, whether a consent older than the no comes first in
    the list or the no and the yes share a day (then the order they were recorded in tells): s26-rconsent."""
    older_yes = consent(given_on=date(2026, 10, 1))
    no = consent(given=False, given_on=date(2026, 11, 1))
    newer_yes = consent(given_on=date(2026, 11, 20))
    assert may_contact([older_yes, no, newer_yes], DAUGHTER, DAY).consent_id == newer_yes.id
    assert not in_force([older_yes, no, newer_yes], older_yes, DAY)
    same_day_no, same_day_yes = consent(given=False, given_on=DAY), consent(given_on=DAY)
    assert may_contact([same_day_no, same_day_yes], DAUGHTER, DAY).consent_id == same_day_yes.id
    assert standing_refusals([same_day_no, same_day_yes], DAY) == []
    assert not may_contact([same_day_yes, same_day_no], DAUGHTER, DAY).allowed, "a yes and then a no: no"
    assert standing_refusals([same_day_yes, same_day_no], DAY) == [same_day_no]
