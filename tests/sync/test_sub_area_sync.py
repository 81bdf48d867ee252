"""Delområden through the real client and server: two laptops editing different delområden of one life area merge
without a conflict; the same delområde's value edited on both is one conflict on that delområde's path."""

from __future__ import annotations

from pathlib import Path

from sync_support import Env, Laptop, assigned_cases, make_laptop

from ibic.field_labels import field_label
from ibic.investigation import SubAreaAssessment
from ibic.reference import load_reference_data
from sync.server.dev import DEMO_USER


def _edit(laptop: Laptop, case_id: str, change) -> None:  # type: ignore[no-untyped-def]
    case = laptop.profile.cases.load(case_id)
    change(case.investigation.ensure_assessment("d4"))
    laptop.profile.cases.save(case)


def _two_laptops_with_d450(env: Env, tmp_path: Path) -> tuple[Laptop, Laptop, str]:
    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    _edit(a, case_id, lambda d4: setattr(d4, "sub_areas", [SubAreaAssessment(code="d450")]))
    a.sync()
    b.sync()
    return a, b, case_id


def test_different_delomraden_edited_on_two_laptops_merge_without_conflict(env: Env, tmp_path: Path) -> None:
    a, b, case_id = _two_laptops_with_d450(env, tmp_path)
    _edit(a, case_id, lambda d4: setattr(d4.sub_area("d450"), "qualifier", "2"))
    wheelchair = SubAreaAssessment(code="d465", text="Rullstol")
    _edit(b, case_id, lambda d4: setattr(d4, "sub_areas", [*d4.sub_areas, wheelchair]))
    a.sync()
    b.sync()
    a.sync()
    for laptop in (a, b):
        d4 = laptop.profile.cases.load(case_id).investigation.assessment_for("d4")
        assert d4 is not None
        assert [(s.code, s.qualifier, s.text) for s in d4.sub_areas] == [("d450", "2", ""), ("d465", None, "Rullstol")]
        assert laptop.profile.sync.conflicts() == []


def test_one_delomrade_valued_on_both_laptops_is_one_conflict_named_by_its_code(env: Env, tmp_path: Path) -> None:
    a, b, case_id = _two_laptops_with_d450(env, tmp_path)
    _edit(a, case_id, lambda d4: setattr(d4.sub_area("d450"), "qualifier", "1"))
    _edit(b, case_id, lambda d4: setattr(d4.sub_area("d450"), "qualifier", "3"))
    a.sync()
    report = b.sync()
    assert report.conflicts == 1
    [conflict] = b.profile.sync.conflicts()
    assert conflict.path == "investigation/assessments/d4/sub_areas/d450/qualifier"
    assert (conflict.local_value, conflict.server_value) == ("3", "1")
    assert field_label(conflict.path, load_reference_data()) == (
        "Förflyttning › Delområden › d450 Gå › Bedömning på IBIC-skalan")
