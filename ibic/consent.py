"""Consent (samtycke) and the question "may I contact X about this case?".

Secrecy in social services (OSL 26 kap. 1 §) is strict towards relatives, health care, the landlord and
others; only the person's consent opens a contact. Consent is recorded per contact. The utförare the person
has chosen is not covered by secrecy once the person has signed the application or consented orally (seed 001).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import Field, model_validator

from ibic.base import DomainModel, new_id, reads
from ibic.limits import EventDate, Identifier, LongText, Name
from ibic.messages import Message, message
from ibic.name_key import name_key
from ibic.vocabulary import ConsentForm, ConsentRecipient


class Consent(DomainModel):
    """One consent, given (or refused) by the person for contacts with one recipient."""

    id: Identifier = Field(default_factory=new_id)
    recipient: ConsentRecipient
    recipient_name: Name = ""
    scope: LongText = ""
    form: ConsentForm
    given: bool = True
    given_on: EventDate
    recorded_by: Name = ""
    withdrawn_on: EventDate | None = None
    withdrawal_note: LongText = ""

    @model_validator(mode="after")
    @reads("given_on", "withdrawn_on")
    def _withdrawal_after_consent(self) -> Consent:
        if self.withdrawn_on is not None and self.withdrawn_on < self.given_on:
            raise ValueError("withdrawal date is before the consent date")
        return self

    def active_on(self, day: date) -> bool:
        """Given, already in effect and not withdrawn by ``day``."""
        return self.given and self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)

    def matches(self, target: ContactTarget) -> bool:
        """A consent without a name covers anyone of its kind; one naming a person covers that person only.

        "Dottern Tova" is not "a relative": contacting an unnamed relative on her consent would reach whoever
        answers, which the person did not agree to.
        """
        if self.recipient != target.recipient:
            return False
        if not self.recipient_name.strip():
            return self.recipient != ConsentRecipient.NAMED_PERSON
        return _same_name(self.recipient_name, target.name)


@dataclass(frozen=True)
class ContactTarget:
    """Whom the handläggare wants to contact."""

    recipient: ConsentRecipient
    name: str = ""


@dataclass(frozen=True)
class ContactPermission:
    """The answer: may the contact be made, why (a message shown to the user, ibic.messages), and on which
    consent."""

    allowed: bool
    reason: Message
    consent_id: str | None = None

    @property
    def reason_sv(self) -> str:
        return self.reason.sv


def may_contact(
    consents: list[Consent],
    target: ContactTarget,
    on: date,
    *,
    chosen_provider: str = "",
    application_signed_by_person: bool = False,
) -> ContactPermission:
    """Whether the person's consents allow contacting ``target`` on ``on``, with the reason."""
    if _is_chosen_provider(target, chosen_provider):
        # The signature covers the utförare until the person's own later word: a consent to it withdrawn or refused.
        if application_signed_by_person and not _taken_back(consents, target, on):
            return ContactPermission(
                True, message("The utförare the person chose is covered: the person signed the application."))
        oral = _find_in_force(consents, target, on, form=ConsentForm.ORAL)
        if oral is not None:
            said = (message("The utförare the person chose is covered: oral consent, which covers: %1.",
                            oral.scope.strip()) if oral.scope.strip()
                    else message("The utförare the person chose is covered: oral consent."))
            return ContactPermission(True, said, oral.id)
    matching = [c for c in consents if c.matches(target)]
    withdrawn = [c for c in matching if c.withdrawn_on is not None and c.withdrawn_on <= on]
    active = _find_in_force(consents, target, on)
    if active is not None:
        return ContactPermission(True, _given(active), active.id)
    if any(not c.given for c in matching):
        return ContactPermission(False, message("The person has said no to the contact."))
    if withdrawn:
        last = max(withdrawn, key=lambda c: c.withdrawn_on or on)
        return ContactPermission(
            False, message("The person withdrew the consent %1.", last.withdrawn_on or on)
        )
    return ContactPermission(False, message("No consent: secrecy applies (OSL 26 kap. 1 §)."))


def _given(consent: Consent) -> Message:
    """The consent a contact rests on, with what it covers when the person limited it: the uppdrag's box and the
    request for underlag said "samtycke …" and nothing of "endast genomförandeplanen" typed on the Case step
    (s35-probedocs), as the follow-up's material had until s30-probe."""
    scope = consent.scope.strip()
    if consent.form == ConsentForm.WRITTEN:
        return (message("The person gave written consent %1, which covers: %2.", consent.given_on, scope) if scope
                else message("The person gave written consent %1.", consent.given_on))
    return (message("The person gave oral consent %1, which covers: %2.", consent.given_on, scope) if scope
            else message("The person gave oral consent %1.", consent.given_on))


def said_after(consents: list[Consent], later: Consent, earlier: Consent) -> bool:
    """``later`` is the person's newer word than ``earlier``: given on a later day, or on the same day and recorded
    after it (a case keeps its consents in the order they were recorded). A no and then a yes the same day is a yes:
    the person changed their mind, and the date field offers the same day for both."""
    if later.given_on != earlier.given_on:
        return later.given_on > earlier.given_on
    return _position(consents, later) > _position(consents, earlier)


def refused_later(consents: list[Consent], consent: Consent, on: date) -> Consent | None:
    """The refusal, said after ``consent`` (``said_after``) and by ``on``, that covers whom ``consent`` names: the
    person's latest word, which ends what the consent opened (as ``may_contact`` reads it). None for a refusal."""
    if not consent.given:
        return None
    whom = ContactTarget(consent.recipient, consent.recipient_name)
    later = [c for c in consents
             if not c.given and c.matches(whom) and c.given_on <= on and said_after(consents, c, consent)]
    return max(later, key=lambda c: (c.given_on, _position(consents, c)), default=None)


def in_force(consents: list[Consent], consent: Consent, on: date) -> bool:
    """Given, in effect on ``on``, not withdrawn and not ended by a refusal recorded since (``refused_later``)."""
    return consent.active_on(on) and refused_later(consents, consent, on) is None


def standing_refusals(consents: list[Consent], on: date) -> list[Consent]:
    """The refusals recorded by ``on`` that no consent given since covers again: to whom the person says no now."""
    return [r for r in consents if not r.given and r.given_on <= on and not any(
        c.given and c.matches(ContactTarget(r.recipient, r.recipient_name)) and c.given_on <= on
        and said_after(consents, c, r) and refused_later(consents, c, on) is None for c in consents)]


def _same_name(a: str, b: str) -> bool:
    """Names compared as a person reads them (``name_key``); an empty name never matches."""
    return bool(b.strip()) and name_key(a) == name_key(b)


def _is_chosen_provider(target: ContactTarget, chosen_provider: str) -> bool:
    return (
        target.recipient == ConsentRecipient.PROVIDER
        and bool(chosen_provider)
        and (not target.name or name_key(target.name) == name_key(chosen_provider))
    )


def _taken_back(consents: list[Consent], target: ContactTarget, on: date) -> bool:
    """The person withdrew or refused a consent covering ``target`` by ``on``."""
    return any(c.matches(target) and ((c.withdrawn_on is not None and c.withdrawn_on <= on)
                                      or (not c.given and c.given_on <= on)) for c in consents)


def _position(consents: list[Consent], consent: Consent) -> int:
    return next((i for i, c in enumerate(consents) if c.id == consent.id), -1)


def _find_in_force(
    consents: list[Consent], target: ContactTarget, on: date, *, form: ConsentForm | None = None
) -> Consent | None:
    """A consent covering ``target`` in effect on ``on`` that no refusal covering ``target`` said since has ended:
    the person's latest word wins (secrecy errs on the safe side), and a consent given after a no counts."""
    refusals = [r for r in consents if not r.given and r.matches(target) and r.given_on <= on]
    for consent in consents:
        if (consent.matches(target) and consent.active_on(on) and (form is None or consent.form == form)
                and not any(said_after(consents, r, consent) for r in refusals)):
            return consent
    return None
