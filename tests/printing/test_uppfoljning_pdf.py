"""The uppföljning record printed (s30-followdoc): nothing printed a follow-up before (s30-probe, "Left"), so every
test here fails on s30-probe, where ``ibic.documents.uppfoljning`` does not exist.

Read from the PDF with pdftotext, as a person reads the page: the headings, the person and case lines, the secrecy
marking and UTKAST, the ±5 % verdict in Swedish with the figures, the goals with uppnått/delvis/ej, a follow-up with
no time compared, long texts whole, U+0000 dropped as in the other documents, page numbers; the utförare's view
printed only under the rule the follow-up page notes it by (a private utförare: the person's consent)."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from ibic.consent import Consent
from ibic.demo import CASEWORKER
from ibic.documents.uppfoljning import FollowUpNotInCase, build_uppfoljning, hours_text
from ibic.follow_up import FollowUp, GoalResult, TimeComparison
from ibic.vocabulary import ConsentForm, ConsentRecipient, FollowUpOutcome, GoalAttainment
from ui.printing.pdf_writer import render_pdf

from .conftest import LONG_FIELD, TODAY, normalise

HEADINGS = ("Uppföljningen", "Inför uppföljningen", "Beviljad och utförd tid", "Måluppfyllelse",
            "Den enskildes upplevelse och förändrade behov", "Utförarens underlag", "Resultat av uppföljningen")


@pytest.fixture
def followed(demo):  # type: ignore[no-untyped-def]
    """DEMO-2025-0117 (Tolvan, hemtjänst omvårdnad 104 h a month, a private utförare) and its follow-up."""
    people, cases = demo
    case = next(c for c in cases if c.case_number == "DEMO-2025-0117")
    person = next(p for p in people if p.id == case.person_id)
    return person, case, case.follow_ups[0]


def _pdftotext(pdf: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    path = tmp_path / "uppfoljning.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _printed(person, case, follow_up, ref, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    outline = build_uppfoljning(case, person, ref, follow_up.id, today=TODAY, caseworker=CASEWORKER)
    return _pdftotext(render_pdf(outline), tmp_path)


def test_the_record_has_its_headings_person_case_secrecy_and_draft_marking(followed, ref, tmp_path) -> None:  # type: ignore[no-untyped-def]
    person, case, follow_up = followed
    text = _printed(person, case, follow_up, ref, tmp_path)
    for number, heading in enumerate(HEADINGS, start=1):
        assert re.search(rf"^{number}\.?\s+{heading}$", text, re.MULTILINE), heading
    flat = normalise(text)
    for line in ("Tolvan Tolvansson", "19121212-1212", "DEMO-2025-0117", "Hemtjänst Demo AB",
                 "Handlingen omfattas av sekretess enligt 26 kap. 1 § offentlighets- och sekretesslagen",
                 "FIKTIV PERSON – DEMO", "UTKAST", "Ärende DEMO-2025-0117 · Uppföljning · UTKAST", "Sida 1 av"):
        assert line in flat, line
    assert "hemtjänst – omvårdnad" in flat and "104 timmar per månad" in flat and "Rambeslut" in flat


def test_the_time_verdict_is_printed_in_swedish_with_its_figures(followed, ref, tmp_path) -> None:  # type: ignore[no-untyped-def]
    person, case, follow_up = followed
    decision = case.decisions[0]
    follow_up.done_on = TODAY
    for performed, verdict in (
        (5_520, "Utförd tid är 11,5 % mindre än beviljad: utanför ±5 %."),  # 92 of 104 hours
        (6_552, "Avvikelsen +5,0 % ryms inom ±5 %."),  # 109 h 12 min: exactly 5 % over
        (6_553, "Utförd tid är 5,02 % mer än beviljad: utanför ±5 %."),
    ):
        follow_up.time_comparisons = [TimeComparison(decision_id=decision.id, granted_minutes=6_240,
                                                     performed_minutes=performed)]
        flat = normalise(_printed(person, case, follow_up, ref, tmp_path))
        assert verdict in flat
        assert "104 tim" in flat and hours_text(performed) in flat
    assert hours_text(6_552) == "109 tim 12 min" and hours_text(0) == "0 tim"


def test_the_time_table_has_a_period_column_only_when_a_period_is_recorded(followed, ref, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The follow-up step records no period, so the column stood empty under "Period" in every record printed from
    it; a comparison with a period (one sent by the central system) prints its days."""
    person, case, follow_up = followed
    decision = case.decisions[0]
    follow_up.time_comparisons = [TimeComparison(decision_id=decision.id, granted_minutes=6_240,
                                                 performed_minutes=6_000)]
    time_part = normalise(_printed(person, case, follow_up, ref, tmp_path)).split("Beviljad och utförd tid")[-1]
    assert "Beviljad tid" in time_part and "Period" not in time_part
    follow_up.time_comparisons = [follow_up.time_comparisons[0].model_copy(
        update={"period_start": date(2026, 8, 1), "period_end": date(2026, 10, 31)})]
    time_part = normalise(_printed(person, case, follow_up, ref, tmp_path)).split("Beviljad och utförd tid")[-1]
    assert "Period" in time_part and "2026-08-01 – 2026-10-31" in time_part


def test_a_follow_up_without_time_goals_and_outcome_says_so(followed, ref, tmp_path) -> None:  # type: ignore[no-untyped-def]
    person, case, follow_up = followed
    follow_up.time_comparisons = []
    follow_up.goal_results = [
        GoalResult(goal="Att duscha två gånger i veckan", attainment=GoalAttainment.ACHIEVED),
        GoalResult(goal="Att gå till affären själv", attainment=GoalAttainment.PARTLY_ACHIEVED,
                   comment="Med rollator"),
        GoalResult(goal="Att laga frukost", attainment=GoalAttainment.NOT_ACHIEVED),
        GoalResult(goal="Att träffa vänner"),
    ]
    follow_up.outcome = FollowUpOutcome.REASSESSMENT
    follow_up.outcome_note = "Behovet har ökat; ny utredning inleds."
    flat = normalise(_printed(person, case, follow_up, ref, tmp_path))
    assert "Ingen jämförelse av beviljad och utförd tid är registrerad." in flat
    assert "Uppföljningen är inte genomförd ännu" in flat and "Planerad till" in flat
    for goal, verdict in (("Att duscha två gånger i veckan", "Uppnått"), ("Att gå till affären själv", "Delvis"),
                          ("Att laga frukost", "Ej uppnått"), ("Att träffa vänner", "Inte bedömt")):
        assert re.search(f"{goal} {verdict}", flat), goal
    assert "Med rollator" in flat
    assert "Resultat Nyprövning" in flat and "Behovet har ökat; ny utredning inleds." in flat


def test_long_texts_flow_whole_over_pages_and_nul_is_dropped(followed, ref, tmp_path) -> None:  # type: ignore[no-untyped-def]
    person, case, follow_up = followed
    follow_up.changed_needs = LONG_FIELD
    # Stored before NUL was dropped at typing (or synced from elsewhere): printed without it, as the utredning does.
    follow_up.person_experience = "Trivs med\x00 personalen."
    pdf = render_pdf(build_uppfoljning(case, person, ref, follow_up.id, today=TODAY))
    text = _pdftotext(pdf, tmp_path)
    pages = text.count("\f")
    assert pages >= 3 and f"Sida {pages} av {pages}" in text
    body = normalise(re.sub(r"^(UTKAST|Sekretess enligt.*|Ärende .*|Sida \d+ av \d+)$", "", text, flags=re.MULTILINE))
    assert body.count("promenaderna längs ån") == LONG_FIELD.count("promenaderna längs ån")
    assert "Trivs med personalen." in body and "\x00" not in text


def test_the_utforares_view_is_printed_only_under_the_persons_consent(followed, ref, tmp_path) -> None:  # type: ignore[no-untyped-def]
    person, case, follow_up = followed
    follow_up.done_on = TODAY
    follow_up.provider_view = "Tolvan vill ha hjälp senare på morgonen."
    flat = normalise(_printed(person, case, follow_up, ref, tmp_path))
    assert "Tolvan vill ha hjälp senare på morgonen." not in flat, "no consent recorded: a private utförare"
    assert "Utförarens synpunkter skrivs inte ut." in flat
    consent = Consent(recipient=ConsentRecipient.PROVIDER, recipient_name="Hemtjänst Demo AB",
                      scope="Endast genomförandeplanen", form=ConsentForm.WRITTEN, given_on=TODAY - timedelta(days=3))
    case.consents.append(consent)
    follow_up.provider_consent_id = consent.id
    flat = normalise(_printed(person, case, follow_up, ref, tmp_path))
    assert "Tolvan vill ha hjälp senare på morgonen." in flat and "Utförarens synpunkter" in flat
    grund = f"Grund: Privat utförare: samtycke {consent.given_on.isoformat()}, som omfattar: Endast genomförandeplanen."
    assert grund in flat
    case.consents.append(Consent(recipient=ConsentRecipient.PROVIDER, recipient_name="Hemtjänst Demo AB",
                                 form=ConsentForm.WRITTEN, given=False, given_on=TODAY - timedelta(days=1)))
    flat = normalise(_printed(person, case, follow_up, ref, tmp_path))
    assert "Tolvan vill ha hjälp senare på morgonen." not in flat, "the person said no before the follow-up"
    assert "Utförarens synpunkter skrivs inte ut." in flat


def test_only_a_follow_up_of_the_case_is_printed(followed, ref) -> None:  # type: ignore[no-untyped-def]
    person, case, _ = followed
    with pytest.raises(FollowUpNotInCase):
        build_uppfoljning(case, person, ref, FollowUp().id, today=TODAY)
