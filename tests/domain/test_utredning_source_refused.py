"""An other's description kept on a consent the person refused (a source recorded on another laptop, or before the
refusal was entered as such) is printed in the utredning's "Andra källor" with the refusal as its basis, in the
words the app uses for the person everywhere it writes about them: "den enskilde" (docs/glossary.md), not
"personen". The scales' explanations in the reference data say the same."""

from __future__ import annotations

from datetime import date

from ibic.consent import Consent
from ibic.demo import demo_cases
from ibic.documents.utredning import build_utredning
from ibic.investigation import OtherDescription
from ibic.reference import load_reference_data
from ibic.vocabulary import ConsentForm, ConsentRecipient

TODAY = date(2026, 11, 23)


def test_a_source_on_a_refused_consent_is_printed_as_den_enskildes_no() -> None:
    people, cases = demo_cases(TODAY)
    case = next(c for c in cases if c.investigation.assessments)
    person = next(p for p in people if p.id == case.person_id)
    refusal = Consent(recipient=ConsentRecipient.RELATIVE, recipient_name="Grannen Olle (fiktiv)",
                      form=ConsentForm.ORAL, given=False, given_on=date(2026, 11, 2))
    case.consents.append(refusal)
    case.investigation.assessments[0].others.append(OtherDescription(
        source_name="Grannen Olle (fiktiv)", source_role="Granne", consent_id=refusal.id, text="Hjälper till ibland.",
        recorded_on=date(2026, 11, 1)))
    texts = list(build_utredning(case, person, load_reference_data(), today=TODAY, caseworker="Handläggare Demo",
                                 unit="", version=case.document_version).texts())
    assert "Den enskilde har sagt nej till kontakten" in texts
    assert "Personen har sagt nej till kontakten" not in texts


def test_the_scales_explain_their_steps_in_the_words_used_for_den_enskilde() -> None:
    explanations = [step.explanation_sv for scale in load_reference_data().scales for step in scale.steps]
    assert "Den enskilde klarar aktiviteten utan svårighet." in explanations
    assert not [text for text in explanations if text.startswith("Personen")]
