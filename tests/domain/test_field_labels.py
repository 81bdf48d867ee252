"""Field paths in words a handläggare knows: every model field has a Swedish name; ids are left out."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from ibic.cases import Case
from ibic.field_labels import (
    FIELD_LABELS_EN,
    FIELD_LABELS_SV,
    VALUE_VOCABULARIES,
    VALUE_VOCABULARIES_WITHIN,
    field_label,
    value_label,
)
from ibic.people import Person
from ibic.reference import ReferenceData


def _field_names(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[str]:
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for candidate in (info.annotation, *typing.get_args(info.annotation)):
            for inner in (candidate, *typing.get_args(candidate)):
                if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in seen:
                    seen.add(inner)
                    names |= _field_names(inner, seen)
    return names


def test_every_field_of_a_case_and_a_person_has_a_swedish_name() -> None:
    names = _field_names(Case, set()) | _field_names(Person, set())
    assert names - set(FIELD_LABELS_SV) == set()


def test_every_field_of_a_case_and_a_person_has_an_english_name() -> None:
    names = _field_names(Case, set()) | _field_names(Person, set())
    assert names - set(FIELD_LABELS_EN) == set()


def test_no_two_fields_of_one_part_of_a_case_share_a_name_in_either_language() -> None:
    """A decision's insats and the text naming it were both "Insats"; a proposal's omfattning and its amount both
    "Omfattning" (as a path: "Förslag › Omfattning › Omfattning")."""
    models: set[type[BaseModel]] = set()
    _field_names(Case, models)
    _field_names(Person, models)
    for model in (Case, Person, *models):
        for table in (FIELD_LABELS_SV, FIELD_LABELS_EN):
            labels = [table[name] for name in model.model_fields]
            assert len(labels) == len(set(labels)), f"{model.__name__}: {sorted(labels)}"


def test_a_follow_up_outcome_and_its_note_are_named_apart_from_a_decisions_outcome(ref: ReferenceData) -> None:
    for language in ("sv", "en"):
        outcome, note, decided, amount, scope = (
            field_label(path, ref, language) for path in (
                "follow_ups/1a/outcome", "follow_ups/1a/outcome_note", "decisions/2b/outcome",
                "proposals/3c/scope/amount", "proposals/3c/scope"))
        assert len({outcome.split(" › ")[-1], note.split(" › ")[-1], decided.split(" › ")[-1]}) == 3
        assert amount.split(" › ")[-1] != scope.split(" › ")[-1]
    assert field_label("follow_ups/1a/outcome", ref, "en") == "Follow-ups › Follow-up outcome"


def test_a_proposals_omfattning_is_named_as_the_proposal_page_names_it(ref: ReferenceData) -> None:
    """The page says "Omfattning (mängd)" / "Scope (amount)" and "Beslutsform" / "Decision form"; the conflict
    dialog said "Antal" and, in English, "Extent" and "Form of decision" for the same fields (s27-rlook)."""
    paths = ("proposals/3c/scope/amount", "proposals/3c/scope/form", "decisions/2b/scope/form")
    assert [field_label(path, ref, "sv") for path in paths] == [
        "Förslag › Omfattning › Mängd", "Förslag › Omfattning › Beslutsform", "Beslut › Omfattning › Beslutsform"]
    assert [field_label(path, ref, "en") for path in paths] == [
        "Proposals › Scope › Amount", "Proposals › Scope › Decision form", "Decisions › Scope › Decision form"]


def test_a_life_area_path_reads_as_area_and_field(ref: ReferenceData) -> None:
    area = ref.life_areas[0]
    label = field_label(f"investigation/assessments/{area.id}/need", ref)
    assert label == f"{area.label_sv} › Behov"
    assert field_label(f"investigation/assessments/{area.id}/need", ref, "en") == f"{area.label_en} › Need"
    assert field_label(f"investigation/assessments/{area.id}/others/7c1d/text", ref) == (
        f"{area.label_sv} › Andras beskrivning › Text")
    assert field_label("investigation/situation", ref) == "Utredning › Nuvarande situation"


def test_list_element_ids_are_left_out(ref: ReferenceData) -> None:
    assert field_label("consents/3f2a9c0b/given_on", ref) == "Samtycken › Samtycke lämnat den"
    assert field_label("origin_note", ref) == "Anteckning om aktualiseringen"


def test_an_unknown_path_is_shown_as_it_is(ref: ReferenceData) -> None:
    assert field_label("0f9e8d", ref) == "0f9e8d"


def test_a_sub_area_path_names_the_area_and_the_sub_area_by_code_and_title(ref: ReferenceData) -> None:
    walking = next(sub for sub in ref.life_area("d4").sub_areas if sub.code == "d450")
    path = "investigation/assessments/d4/sub_areas/d450/qualifier"
    assert field_label(path, ref) == f"Förflyttning › Delområden › d450 {walking.label_sv} › Bedömning på IBIC-skalan"
    assert field_label("investigation/assessments/d4/sub_areas/d450", ref) == (
        f"Förflyttning › Delområden › d450 {walking.label_sv}")


def test_every_vocabulary_a_field_s_value_is_named_by_exists_in_the_reference(ref: ReferenceData) -> None:
    """``value_label``'s tables name vocabularies of vocabulary.toml (a misspelt one would show the raw value)."""
    named = set(VALUE_VOCABULARIES.values()) | set(VALUE_VOCABULARIES_WITHIN.values())
    assert named - set(ref.labels) == set()


def test_a_status_value_is_shown_in_words_and_an_unknown_value_or_a_text_is_not(ref: ReferenceData) -> None:
    assert value_label("status", "closed", ref) == "Avslutad"
    assert value_label("status_history/abc/status", "investigation", ref, "en") == "Investigation"
    assert value_label("decisions/abc/outcome", "granted", ref) is not None
    assert value_label("status", "a status of a later release", ref) is None
    assert value_label("origin_note", "closed", ref) is None
