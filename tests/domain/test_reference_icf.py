"""Reference data checked against ICF's own list; every entry carries its source (issue 13, point 11)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ibic.errors import ReferenceDataError
from ibic.reference import DEFAULT_DIRECTORY, ReferenceData, is_residual_code, load_reference_data, unverified_codes


def _codes(ref: ReferenceData, area_id: str) -> dict[str, str]:
    return {sub.code: sub.label_sv for sub in ref.life_area(area_id).sub_areas}


def test_d770_is_intima_relationer(ref: ReferenceData) -> None:
    assert _codes(ref, "d7")["d770"] == "Intima relationer"


def test_the_residual_codes_d839_and_d859_are_not_sub_areas(ref: ReferenceData) -> None:
    assert {"d839", "d859"}.isdisjoint(_codes(ref, "d8"))
    assert is_residual_code("d839") and is_residual_code("d859") and is_residual_code("d6409")
    assert not is_residual_code("d6408A") and not is_residual_code("d138") and not is_residual_code("d840")


def test_household_tasks_d6400_to_d6405_and_d465_are_listed(ref: ReferenceData) -> None:
    household = _codes(ref, "d6")
    assert [code for code in household if code.startswith("d640")] == [
        "d640", "d6400", "d6401", "d6402", "d6403", "d6404", "d6405", "d6408A"]
    assert household["d6402"] == "Städa bostaden"
    assert _codes(ref, "d4")["d465"] == "Röra sig omkring med hjälp av utrustning"


def test_e598a_experienced_quality_is_a_follow_up_code(ref: ReferenceData) -> None:
    assert [(c.code, c.use) for c in ref.other_codes] == [("e598A", "follow_up")]


def test_every_entry_names_its_source_and_unverified_ones_are_listed_for_an_administrator(ref: ReferenceData) -> None:
    entries = [*ref.life_areas, *(s for a in ref.life_areas for s in a.sub_areas), *ref.other_codes]
    assert all(entry.source.strip() for entry in entries)
    listed = {(u.code, u.place) for u in unverified_codes(ref)}
    assert ("d138", "sub-area of d1") in listed  # doubtful: may be ICF-CY d132
    assert ("e598A", "follow_up") in listed
    assert ("d6400", "sub-area of d6") not in listed  # checked against the ICF text
    expected = sum(not e.verified for e in entries)
    assert len(listed) == expected > 0
    d138 = next(u for u in unverified_codes(ref) if u.code == "d138")
    assert "d132" in d138.source


def _copy(tmp_path: Path) -> Path:
    directory = tmp_path / "reference"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    return directory


def _error(directory: Path) -> str:
    with pytest.raises(ReferenceDataError) as caught:
        load_reference_data(directory)
    return str(caught.value)


def test_an_entry_without_a_source_is_refused(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "life_areas.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('{ code = "d155"')
    line_end = text.index("\n", start)
    line = text[start:line_end]
    path.write_text(text.replace(line, line[: line.index(", source")] + " },"), encoding="utf-8")
    assert _error(directory).startswith(f"{path}: at areas.0.sub_areas.1.source: Field required")


def test_a_residual_code_put_back_as_a_sub_area_is_refused(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "life_areas.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('code = "d845"', 'code = "d859"', 1), encoding="utf-8")
    assert "d859 is an ICF 'other specified and unspecified' code" in _error(directory)


def test_a_sub_area_of_another_chapter_is_refused(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    path = directory / "life_areas.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('code = "d155"', 'code = "d555"', 1), encoding="utf-8")
    assert _error(directory) == f"{path}: at areas.0.sub_areas.1.code: d555 is not in chapter d1"
