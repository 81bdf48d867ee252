"""Reference data: the shipped files load; a corrupted copy fails naming the file, the place and the reason."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ibic.errors import ReferenceDataError
from ibic.reference import DEFAULT_DIRECTORY, ReferenceData, load_reference_data
from ibic.reference_files import load_list_reference
from ibic.vocabulary import VOCABULARIES

ICF = re.compile(r"^[bdes]\d{1,5}A?$")


def test_the_shipped_reference_data_loads_and_is_cached() -> None:
    assert load_reference_data(DEFAULT_DIRECTORY) is load_reference_data(DEFAULT_DIRECTORY)


def test_nine_life_areas_and_the_two_further_categories(ref: ReferenceData) -> None:
    areas = [a.id for a in ref.life_areas if a.kind == "life_area"]
    categories = [a.id for a in ref.life_areas if a.kind == "category"]
    assert areas == [f"d{n}" for n in range(1, 10)]
    assert categories == ["b1528A", "e398A"]


def test_every_life_area_has_a_scale_with_steps(ref: ReferenceData) -> None:
    for area in ref.life_areas:
        scale = ref.scale_for(area.id)
        assert len(scale.steps) >= 2
        assert all(step.label_sv for step in scale.steps)


def test_every_area_and_sub_area_has_an_icf_code_and_both_labels(ref: ReferenceData) -> None:
    for area in ref.life_areas:
        assert ICF.match(area.id) and area.label_sv and area.label_en
        for sub in area.sub_areas:
            assert ICF.match(sub.code) and sub.label_sv and sub.label_en


def test_scale_steps_follow_the_icf_qualifier(ref: ReferenceData) -> None:
    activity = ref.scale("icf_activity")
    assert [s.value for s in activity.steps] == ["0", "1", "2", "3", "4", "8", "9"]
    step = activity.step("2")
    assert step is not None and step.label_sv == "Måttlig svårighet" and step.range == "25–49 %"
    assert activity.step("7") is None
    assert ref.scale_for("e398A").id == "icf_environment"


def test_insatser_not_time_limited_are_exactly_the_three_from_seed_001(ref: ReferenceData) -> None:
    until_further_notice = {i.id for i in ref.insatser if i.requires_decision and not i.time_limited}
    assert until_further_notice == {"trygghetslarm", "servicehus", "vard_och_omsorgsboende"}
    assert ref.granted_until_further_notice("trygghetslarm")
    assert not ref.granted_until_further_notice("korttidsvistelse")
    assert not ref.granted_until_further_notice(None)


def test_insatser_without_decision_and_the_needs_test_age(ref: ReferenceData) -> None:
    assert {i.id for i in ref.insatser if not i.requires_decision} == {"traffpunkt", "fixartjanst", "seniorboende"}
    alarm = ref.insats("trygghetslarm")
    assert alarm is not None and alarm.needs_test_from_age == 65
    assert ref.insats("finns_inte") is None


def test_law_references_are_dated_and_both_laws_are_kept(ref: ReferenceData) -> None:
    new_law, old_law = ref.law("sol2025_11_1"), ref.law("sol2001_4_1")
    assert new_law.valid_on(date(2025, 7, 1)) and not new_law.valid_on(date(2025, 6, 30))
    assert old_law.valid_on(date(2025, 6, 30)) and not old_law.valid_on(date(2025, 7, 1))
    assert "sol2025_11_1" in {law.id for law in ref.decision_laws_on(date(2026, 11, 23))}
    assert "sol2001_4_1" not in {law.id for law in ref.decision_laws_on(date(2026, 11, 23))}
    assert ref.has_law("osl_26_1") and not ref.has_law("nope")
    with pytest.raises(KeyError):
        ref.law("nope")


def test_every_vocabulary_value_has_swedish_and_english_labels(ref: ReferenceData) -> None:
    for name, enum in VOCABULARIES.items():
        for member in enum:
            assert ref.label(name, member.value, "sv") and ref.label(name, member.value, "en")
    assert ref.label("decision_outcome", "refused") == "Avslag"
    assert ref.label("decision_form", "frame", "en") == "Frame decision"


def test_not_relevant_reasons_and_time_norms_load(ref: ReferenceData) -> None:
    reason = ref.not_relevant_reason("not_part_of_application")
    assert reason is not None and reason.label_sv
    assert ref.not_relevant_reason("nope") is None
    insats_ids = {i.id for i in ref.insatser}
    assert ref.time_norms and all(norm.insats in insats_ids for norm in ref.time_norms)


def test_rule_targets_from_the_law_and_seeds(ref: ReferenceData) -> None:
    d, f = ref.rules.deadlines, ref.rules.follow_up
    assert (d.undecided_application_months, d.discharge_sip_days, d.discharge_payment_days, d.appeal_weeks) == (
        6,
        3,
        3,
        3,
    )
    assert (f.time_tolerance_percent, f.large_decision_hours_per_month) == (5.0, 100.0)


def test_area_lookup_by_id_and_label_by_language(ref: ReferenceData) -> None:
    area = ref.life_area("d5")
    assert area.label("sv") == "Personlig vård" and area.label("en") == "Self-care"
    with pytest.raises(KeyError):
        ref.life_area("d99")


# --- corrupted copies -----------------------------------------------------------------------------------


def corrupt(tmp_path: Path, file: str, change: Callable[[str], str]) -> Path:
    directory = tmp_path / "reference"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    path = directory / file
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, "the corruption must change the file"
    path.write_text(after, encoding="utf-8")
    return directory


def replace(old: str, new: str) -> Callable[[str], str]:
    return lambda text: text.replace(old, new, 1)


def error_of(directory: Path) -> str:
    with pytest.raises(ReferenceDataError) as caught:
        load_reference_data(directory)
    return str(caught.value)


def test_the_unchanged_copy_loads(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "rules.toml", lambda text: text + "\n")
    assert load_reference_data(directory).life_areas == load_reference_data().life_areas


def test_bad_toml_syntax_names_the_file_and_line(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "insatser.toml", replace('id = "serviceinsatser"', 'id = "serviceinsatser'))
    message = error_of(directory)
    assert message.startswith(str(directory / "insatser.toml") + ":")
    assert "line 10" in message


def test_missing_field_names_the_file_and_key(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "life_areas.toml", replace('label_sv = "Kommunikation"\n', ""))
    message = error_of(directory)
    assert message == f"{directory / 'life_areas.toml'}: at areas.2.label_sv: Field required"


def test_wrong_type_names_the_file_and_key(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "time_norms.toml", replace("minutes = 40", 'minutes = "fyrtio"'))
    message = error_of(directory)
    assert message.startswith(f"{directory / 'time_norms.toml'}: at norms.0.minutes: ")
    assert "valid integer" in message


def test_wrong_type_of_a_flag_names_the_insats(tmp_path: Path) -> None:
    alarm = "time_limited = false\nneeds_test_from_age = 65"
    directory = corrupt(tmp_path, "insatser.toml", replace(alarm, alarm.replace("false", "3")))
    assert error_of(directory).startswith(f"{directory / 'insatser.toml'}: at insatser.5.time_limited: ")


def test_wrong_date_in_law_references_names_the_key(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "law_references.toml", replace("valid_from = 2025-07-01", 'valid_from = "snart"'))
    assert error_of(directory).startswith(f"{directory / 'law_references.toml'}: at laws.0.valid_from: ")


def test_rule_out_of_range_names_the_table_and_key(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "rules.toml", replace("appeal_weeks = 3", "appeal_weeks = 0"))
    assert error_of(directory).startswith(f"{directory / 'rules.toml'}: at deadlines.appeal_weeks: ")


def test_unknown_scale_id_names_the_area(tmp_path: Path) -> None:
    d4 = 'id = "d4"\nkind = "life_area"'
    directory = corrupt(tmp_path, "life_areas.toml", replace(d4, d4 + '\nscale = "x"'))
    assert error_of(directory) == f"{directory / 'life_areas.toml'}: at areas.3.scale: unknown scale 'x'"


def test_time_norm_for_an_unknown_insats_names_the_norm(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "time_norms.toml", replace('insats = "omvardnad"', 'insats = "omvardnadd"'))
    assert error_of(directory) == f"{directory / 'time_norms.toml'}: at norms.0.insats: unknown insats 'omvardnadd'"


def test_missing_vocabulary_label_names_the_table_and_value(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "vocabulary.toml", replace('police = ["Polisen", "Police"]\n', ""))
    expected = f"{directory / 'vocabulary.toml'}: at labels.case_origin: missing ['police'], unknown []"
    assert error_of(directory) == expected


def test_label_for_an_unknown_value_is_refused(tmp_path: Path) -> None:
    extra = '[labels.sex]\nother = ["Annat", "Other"]\n'
    directory = corrupt(tmp_path, "vocabulary.toml", replace("[labels.sex]\n", extra))
    assert "at labels.sex: missing [], unknown ['other']" in error_of(directory)


def test_wrong_schema_version_names_the_file(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "rules.toml", replace("schema_version = 1", "schema_version = 2"))
    assert error_of(directory) == f"{directory / 'rules.toml'}: at schema_version: expected 1, found 2"


def test_missing_schema_version_names_the_file(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "scales.toml", replace("schema_version = 1\n", ""))
    assert error_of(directory) == f"{directory / 'scales.toml'}: at schema_version: expected 1, found None"


def test_misspelt_table_name_fails_instead_of_loading_empty(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "life_areas.toml", lambda text: text.replace("[[areas]]", "[[area]]"))
    assert error_of(directory) == f"{directory / 'life_areas.toml'}: at area: unknown key"


def test_a_file_without_entries_fails(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "insatser.toml", lambda text: text[: text.index("[[insatser]]")])
    assert error_of(directory).startswith(f"{directory / 'insatser.toml'}: at insatser: ")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "scales.toml", lambda text: text + "\n")
    (directory / "scales.toml").unlink()
    assert error_of(directory) == f"{directory / 'scales.toml'}: file is missing"


def test_duplicate_area_id_is_refused(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "life_areas.toml", replace('id = "d2"', 'id = "d1"'))
    assert "duplicate life area id: d1" in error_of(directory)


def test_icf_code_pattern_is_enforced(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "life_areas.toml", replace('code = "d155"', 'code = "x155"'))
    assert error_of(directory).startswith(f"{directory / 'life_areas.toml'}: at areas.0.sub_areas.1.code: ")


def test_always_time_limited_needs_time_limited(tmp_path: Path) -> None:
    def untime(text: str) -> str:
        start = text.index('id = "korttidsvistelse"')
        return text[:start] + text[start:].replace("time_limited = true", "time_limited = false", 1)

    directory = corrupt(tmp_path, "insatser.toml", untime)
    assert "korttidsvistelse: always_time_limited needs time_limited = true" in error_of(directory)


def test_unknown_field_in_an_entry_is_refused(tmp_path: Path) -> None:
    alarm = "time_limited = false\nneeds_test_from_age = 65"
    directory = corrupt(tmp_path, "insatser.toml", replace(alarm, alarm + "\ntimelimited = 1"))
    assert "insatser.5.timelimited: Extra inputs are not permitted" in error_of(directory)


# --- the case list's part (ibic.reference_files.load_list_reference, read without ReferenceData) -----------------


def list_error_of(directory: Path) -> str:
    with pytest.raises(ReferenceDataError) as caught:
        load_list_reference(directory)
    return str(caught.value)


def test_the_list_reads_the_labels_and_insats_names_that_reference_data_holds() -> None:
    listed, ref = load_list_reference(), load_reference_data()
    for name, enum in VOCABULARIES.items():
        for member in enum:
            for language in ("sv", "en"):
                assert listed.label(name, member.value, language) == ref.label(name, member.value, language)
    for insats in ref.insatser:
        names = listed.insats(insats.id)
        assert names is not None and (names.label_sv, names.label_en) == (insats.label_sv, insats.label_en)


def test_a_label_missing_fails_the_list_as_it_fails_reference_data(tmp_path: Path) -> None:
    # Before: the list loaded, and a row of a case come by phone raised KeyError where it was built.
    directory = corrupt(tmp_path, "vocabulary.toml", replace('phone_call = ["Telefonsamtal", "Phone call"]\n', ""))
    assert list_error_of(directory) == error_of(directory)
    missing = "at labels.case_origin: missing ['phone_call'], unknown []"
    assert error_of(directory) == f"{directory / 'vocabulary.toml'}: {missing}"


def test_a_label_not_a_pair_of_texts_fails_the_list_naming_the_file_and_key(tmp_path: Path) -> None:
    # Before: "Ja" unpacked as the pair ("J", "a"), and the list showed "J".
    pair = 'application = ["Ansökan", "Application"]'
    directory = corrupt(tmp_path, "vocabulary.toml", replace(pair, 'application = "Ja"'))
    place = f"{directory / 'vocabulary.toml'}: at labels.case_origin.application: "
    assert list_error_of(directory).startswith(place)
    assert error_of(directory).startswith(place)


def test_an_insats_without_its_english_name_fails_the_list_naming_the_file_and_key(tmp_path: Path) -> None:
    # Before: a KeyError from the list's loader, not the reference data's error.
    directory = corrupt(tmp_path, "insatser.toml", replace('label_en = "Home help – practical help"\n', ""))
    place = f"{directory / 'insatser.toml'}: at insatser.0.label_en: "
    assert list_error_of(directory).startswith(place)
    assert error_of(directory).startswith(place)


def test_an_insats_id_of_another_type_fails_the_list_naming_the_file_and_key(tmp_path: Path) -> None:
    directory = corrupt(tmp_path, "insatser.toml", replace('id = "serviceinsatser"', "id = 7"))
    place = f"{directory / 'insatser.toml'}: at insatser.0.id: "
    assert list_error_of(directory).startswith(place)
    assert error_of(directory).startswith(place)
