"""Follow-up: granted vs performed time within ±5 %, the four questions, and the request for underlag."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from ibic.follow_up import (
    FOUR_QUESTIONS_SV,
    FollowUp,
    TimeComparison,
    TimeDeviation,
    time_deviation,
    time_to_explain,
    underlag_due,
    underlag_request_sv,
)
from ibic.reference import ReferenceData

TOLERANCE = 5.0


def deviation(granted: int, performed: int, tolerance: float = TOLERANCE) -> TimeDeviation:
    return time_deviation(TimeComparison(granted_minutes=granted, performed_minutes=performed), tolerance)


def test_tolerance_comes_from_the_reference_rules(ref: ReferenceData) -> None:
    assert ref.rules.follow_up.time_tolerance_percent == TOLERANCE


def test_deviation_of_exactly_five_percent_is_within_tolerance() -> None:
    over, under = deviation(6000, 6300), deviation(6000, 5700)
    assert (over.percent, over.outside_tolerance) == (5.0, False)
    assert (under.percent, under.outside_tolerance) == (-5.0, False)
    assert over.text_sv == "Avvikelsen +5,0 % ryms inom ±5 %."
    assert under.text_sv == "Avvikelsen -5,0 % ryms inom ±5 %."


def test_deviation_just_past_five_percent_is_outside() -> None:
    assert deviation(6000, 6301).outside_tolerance
    assert deviation(6000, 5699).outside_tolerance


def test_deviation_just_inside_five_percent_is_inside() -> None:
    assert not deviation(6000, 6299).outside_tolerance
    assert not deviation(6000, 5701).outside_tolerance


def test_less_time_performed_is_reported_as_less_with_a_decimal_comma() -> None:
    # The demo follow-up: 104 hours granted, 92 performed.
    result = deviation(104 * 60, 5520)
    assert result.percent == -11.5
    assert result.outside_tolerance
    assert result.text_sv == "Utförd tid är 11,5 % mindre än beviljad: utanför ±5 %."


def test_more_time_performed_is_reported_as_more() -> None:
    assert deviation(600, 700).text_sv == "Utförd tid är 16,7 % mer än beviljad: utanför ±5 %."


def test_equal_time_is_no_deviation() -> None:
    result = deviation(600, 600)
    assert (result.percent, result.outside_tolerance) == (0.0, False)


def test_zero_granted_and_zero_performed_is_no_deviation() -> None:
    result = deviation(0, 0)
    assert (result.percent, result.outside_tolerance) == (0.0, False)
    assert result.text_sv == "Ingen tid beviljad och ingen utförd."


def test_time_performed_without_granted_time_is_outside_without_a_percent() -> None:
    result = deviation(0, 30)
    assert result.percent is None
    assert result.outside_tolerance
    assert result.text_sv == "Tid har utförts utan beviljad tid."


def test_a_configured_tolerance_is_used_and_printed() -> None:
    assert not deviation(1000, 1075, tolerance=7.5).outside_tolerance
    assert deviation(1000, 1080, tolerance=7.5).text_sv.endswith("utanför ±7,5 %.")


@pytest.mark.parametrize("field", ["granted_minutes", "performed_minutes"])
def test_negative_minutes_are_refused(field: str) -> None:
    values = {"granted_minutes": 10, "performed_minutes": 10, field: -1}
    with pytest.raises(ValidationError):
        TimeComparison.model_validate(values)


def test_there_are_four_questions_before_each_follow_up() -> None:
    assert len(FOUR_QUESTIONS_SV) == 4
    assert all(question.endswith("?") for question in FOUR_QUESTIONS_SV)


def _request(ask_about_time: bool) -> str:
    return underlag_request_sv(
        follow_up_by="i december",
        insats_text="hemtjänst – omvårdnad",
        person_name="Tolvan Tolvansson",
        personal_number="19121212-1212",
        caseworker="Handläggare Demo",
        ask_about_time=ask_about_time,
    )


def test_underlag_request_names_the_decision_person_and_caseworker() -> None:
    text = _request(ask_about_time=False)
    assert text.startswith("Hej!\n")
    assert "Jag ska i december följa upp pågående beslut om hemtjänst – omvårdnad för Tolvan Tolvansson, " in text
    assert "19121212-1212" in text
    assert "- uppdaterad genomförandeplan" in text
    assert "- sammanställda daganteckningar i genomförandejournalen" in text
    assert "Tolvan Tolvanssons situation" in text
    assert text.endswith("Med vänliga hälsningar,\nHandläggare Demo")
    assert "inte all tid utförts" not in text
    assert "\nSvara endast via kommunens säkra meddelandefunktion, inte med vanlig e-post.\n" in text


def test_underlag_request_asks_about_unperformed_time_when_told_to() -> None:
    with_time, without = _request(ask_about_time=True), _request(ask_about_time=False)
    assert "- en beskrivning kring varför inte all tid utförts." in with_time
    assert len(with_time.splitlines()) == len(without.splitlines()) + 1


def test_a_deviation_just_over_the_limit_is_not_shown_as_the_limit_itself() -> None:
    result = time_deviation(TimeComparison(granted_minutes=10_000, performed_minutes=10_504), 5.0)
    assert result.outside_tolerance
    assert "5,04 %" in result.text_sv


def test_a_deviation_inside_a_configured_tolerance_is_never_shown_beyond_it() -> None:
    """4,985 % within ±4,99 %: main showed "+5,0 % ryms inom ±4,99 %"."""
    assert deviation(100_000, 104_985, tolerance=4.99).text_sv == "Avvikelsen +4,99 % ryms inom ±4,99 %."


def test_the_underlag_is_asked_for_by_the_planned_day_or_before_the_decision_ends() -> None:
    today = date(2026, 12, 6)
    assert underlag_due(date(2026, 12, 30), [date(2026, 12, 12)], today) == date(2026, 12, 30)  # planned: as planned
    assert underlag_due(None, [date(2027, 6, 1), None], today) == date(2026, 12, 20)  # in two weeks
    assert underlag_due(today, [date(2026, 12, 12)], today) == date(2026, 12, 12)  # the decision's last day first
    assert underlag_due(None, [date(2026, 12, 1)], today) == date(2026, 12, 20)  # one run out sets no day before


def test_the_request_after_the_provider_raised_the_follow_up_asks_for_the_prepared_underlag() -> None:
    """Seed 002: "Om utförare påtalar behov av uppföljning ska underlaget redan vara förberett"."""
    text = underlag_request_sv(follow_up_by="senast 2026-12-20", insats_text="hemtjänst – omvårdnad",
                               person_name="Tolvan Fors", personal_number="19121212-1212",
                               caseworker="Handläggare Demo", ask_about_time=True, provider_started=True)
    assert "Jag följer upp beslutet senast 2026-12-20." in text
    assert "- den upprättade genomförandeplanen" in text
    assert "- er analys av varför inte all tid utförts." in text
    assert "Tolvan Fors situation" in text
    assert "Innan dess skulle jag behöva underlag" not in text
    assert text.endswith("Med vänliga hälsningar,\nHandläggare Demo")
    assert "\nSvara endast via kommunens säkra meddelandefunktion, inte med vanlig e-post.\n" in text


def test_the_request_asks_why_time_differs_from_the_granted_either_way() -> None:
    """Seed 002: the utförare analyses a performed time that does not match the granted; about ±5 % is reasonable."""
    def asked(granted: int, performed: int) -> tuple[bool, bool]:
        compared = [TimeComparison(granted_minutes=granted, performed_minutes=performed)]
        return time_to_explain(FollowUp(time_comparisons=compared), TOLERANCE)

    assert time_to_explain(FollowUp(), TOLERANCE) == (True, False)  # nothing compared yet: the model message
    assert asked(6000, 5520) == (True, False)
    assert asked(6000, 6300) == (False, False)  # +5 %: within
    assert asked(6000, 6301) == (False, True)
    assert asked(0, 60) == (False, True)  # time performed with none granted
