"""The person (den enskilde) and their representatives."""

from __future__ import annotations

from datetime import date

from pydantic import Field, field_validator

from ibic.base import DomainModel, new_id
from ibic.limits import EventDate, Identifier, LongText, Name, Phone, ShortText
from ibic.name_key import name_key
from ibic.name_rules import name_problem
from ibic.personal_number import PersonalNumber, parse_personal_number
from ibic.vocabulary import RepresentativeKind, Sex


class Address(DomainModel):
    street: ShortText = ""
    postal_code: ShortText = ""
    city: ShortText = ""
    care_of: Name = ""

    def one_line(self) -> str:
        parts = [self.care_of and f"c/o {self.care_of}", self.street, f"{self.postal_code} {self.city}".strip()]
        return ", ".join(part for part in parts if part)


class Representative(DomainModel):
    """God man, förvaltare, framtidsfullmakt, ombud or a contact relative; ``scope`` is their mandate."""

    id: Identifier = Field(default_factory=new_id)
    kind: RepresentativeKind
    name: Name
    phone: Phone = ""
    scope: LongText = ""
    valid_from: EventDate | None = None
    valid_to: EventDate | None = None

    def may_apply_on_behalf(self) -> bool:
        """A god man, förvaltare, framtidsfullmakt holder or ombud may apply within the mandate."""
        return self.kind != RepresentativeKind.CONTACT_RELATIVE


def sex_from_personal_number(digits: str | None) -> Sex:
    """As registered: an odd födelsenummer is a man, an even one a woman; unknown without a valid number."""
    if not digits:
        return Sex.UNSPECIFIED
    return Sex.MALE if PersonalNumber(digits).is_odd_serial else Sex.FEMALE


def sex_after_correction(sex: Sex, before: str | None, after: str) -> Sex:
    """Kön once the personnummer ``before`` is corrected to ``after``: what the new number says, unless Kön was
    chosen against the number it had (the handläggare's choice stays). Left as it was, a woman's number corrected to
    a man's kept "Kvinna" and was counted so by women and men (s28-rprobe)."""
    return sex_from_personal_number(after) if sex == sex_from_personal_number(before) else sex


class Person(DomainModel):
    """The person the case is about. ``personal_number`` is kept normalised as 12 digits."""

    id: Identifier = Field(default_factory=new_id)
    given_name: Name
    family_name: Name
    personal_number: ShortText
    sex: Sex = Field(default_factory=lambda data: sex_from_personal_number(data.get("personal_number")))
    address: Address = Field(default_factory=Address)
    phone: Phone = ""
    language: ShortText = "svenska"
    interpreter_needed: bool = False
    interpreter_language: ShortText = ""
    representatives: list[Representative] = Field(default_factory=list)
    fictitious: bool = False
    # Entitled to sjukresa (patient transport) to medical visits: rules out följeslagare to the doctor (seed 001).
    patient_transport_entitled: bool = False

    @field_validator("personal_number")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return parse_personal_number(value).digits

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def number(self) -> PersonalNumber:
        return PersonalNumber(self.personal_number)

    def age_on(self, day: date) -> int:
        return self.number.age_on(day)

    def has_mandate(self, name: str, day: date) -> bool:
        """``name`` is a representative whose mandate covers ``day`` (a god man, förvaltare, framtidsfullmakt holder
        or ombud): what they say needs no consent. A contact relative has no mandate, so needs one like others."""
        return any(name_key(rep.name) == name_key(name) and rep.may_apply_on_behalf()
                   for rep in self.representatives_on(day))

    def representatives_on(self, day: date) -> list[Representative]:
        """Representatives whose mandate covers ``day``."""
        return [
            rep
            for rep in self.representatives
            if (rep.valid_from is None or rep.valid_from <= day) and (rep.valid_to is None or day <= rep.valid_to)
        ]


NAMES = ("given_name", "family_name")


def name_problems(person: Person) -> list[str]:
    """A person is named (``name_problem``: the new-case dialog's rule), checked where a person is written from
    outside (the central system, a laptop's push). Not a model validator: records stored before the rule must
    still load."""
    return [f"{name}: {problem}" for name in NAMES if (problem := name_problem(getattr(person, name)))]
