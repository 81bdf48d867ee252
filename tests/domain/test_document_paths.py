"""Field paths, diff and apply: keyed lists by id/area_id, removal, append-only decisions, and round trips."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ibic.cases import Case
from ibic.decisions import Decision, DecisionStatusEntry, Scope
from ibic.demo import demo_cases, fully_filled_case
from ibic.document_paths import MISSING, FieldEdit, apply, apply_in_place, copy_json, diff, get, leaves
from ibic.errors import DecisionIsFinal, DomainError
from ibic.investigation import LifeAreaAssessment, SubAreaAssessment, Visit
from ibic.vocabulary import DecisionOutcome, DecisionStatusKind

TODAY = date(2026, 11, 23)


def apply_all(document: dict[str, Any], edits: list[FieldEdit]) -> dict[str, Any]:
    for edit in edits:
        document = apply(document, edit)
    return document


def dump(case: Case) -> dict[str, Any]:
    return case.model_dump(mode="json")


# --- paths ----------------------------------------------------------------------------------------------


def test_a_changed_need_is_one_edit_addressed_by_area_id() -> None:
    _, case = fully_filled_case(TODAY)
    old = dump(case)
    case.investigation.ensure_assessment("d5").need = "Hjälp vid dusch."
    assert diff(old, dump(case)) == [FieldEdit("investigation/assessments/d5/need", "set", "Hjälp vid dusch.")]


def test_elements_of_keyed_lists_are_addressed_by_id_never_by_position() -> None:
    _, case = fully_filled_case(TODAY)
    old = dump(case)
    consent = case.consents[0]
    consent.scope = "Allt som rör hemtjänsten"
    assert diff(old, dump(case)) == [FieldEdit(f"consents/{consent.id}/scope", "set", "Allt som rör hemtjänsten")]


def test_a_list_without_keys_is_one_value() -> None:
    old = {"tags": ["a"]}
    assert diff(old, {"tags": ["a", "b"]}) == [FieldEdit("tags", "set", ["a", "b"])]


def test_sub_areas_are_keyed_by_their_code_so_two_devices_never_touch_one_path() -> None:
    _, case = fully_filled_case(TODAY)
    area = case.investigation.ensure_assessment("d4")
    area.sub_areas = []
    base = dump(case)
    area.sub_areas = [SubAreaAssessment(code="d450")]
    added = diff(base, dump(case))
    assert added == [FieldEdit("investigation/assessments/d4/sub_areas/d450", "set",
                               {"code": "d450", "qualifier": None, "text": ""})]
    with_d450 = dump(case)
    # Laptop A sets d450's value; laptop B, from the same base, chooses d465: different paths, both applied.
    area.sub_areas[0].qualifier = "2"
    edits_a = diff(with_d450, dump(case))
    area.sub_areas = [SubAreaAssessment(code="d450"), SubAreaAssessment(code="d465", text="Rullstol ute")]
    edits_b = diff(with_d450, dump(case))
    assert [e.path for e in edits_a] == ["investigation/assessments/d4/sub_areas/d450/qualifier"]
    assert [e.path for e in edits_b] == ["investigation/assessments/d4/sub_areas/d465"]
    merged = with_d450
    for edit in [*edits_a, *edits_b]:
        merged = apply(merged, edit)
    subs = {s["code"]: s for s in get(merged, "investigation/assessments/d4/sub_areas")}
    assert subs["d450"]["qualifier"] == "2" and subs["d465"]["text"] == "Rullstol ute"


def test_a_new_element_is_created_whole() -> None:
    _, case = fully_filled_case(TODAY)
    old = dump(case)
    visit = Visit(visited_on=TODAY, note="Uppföljande besök")
    case.investigation.visits.append(visit)
    edits = diff(old, dump(case))
    assert edits == [FieldEdit(f"investigation/visits/{visit.id}", "set", visit.model_dump(mode="json"))]


def test_a_removed_element_is_one_remove_edit() -> None:
    _, case = fully_filled_case(TODAY)
    old = dump(case)
    removed = case.investigation.visits.pop()
    assert diff(old, dump(case)) == [FieldEdit(f"investigation/visits/{removed.id}", "remove")]
    assert apply_all(old, diff(old, dump(case))) == dump(case)


def test_a_removed_key_is_a_remove_edit() -> None:
    assert diff({"a": 1, "b": {"c": 2, "d": 3}}, {"a": 1, "b": {"c": 2}}) == [FieldEdit("b/d", "remove")]
    assert apply({"a": 1, "b": {"c": 2, "d": 3}}, FieldEdit("b/d", "remove")) == {"a": 1, "b": {"c": 2}}


def test_removing_what_is_not_there_changes_nothing() -> None:
    document = {"items": [{"id": "x", "v": 1}]}
    assert apply(document, FieldEdit("items/y", "remove")) == document
    assert apply(document, FieldEdit("nothing", "remove")) == document


def test_equal_documents_have_no_edits() -> None:
    document = dump(fully_filled_case(TODAY)[1])
    assert diff(document, document) == []


def test_a_pure_reordering_of_a_keyed_list_is_not_an_edit() -> None:
    # By design: elements are addressed by key, so order is not part of the field model (new elements append).
    assert diff({"l": [{"id": "a"}, {"id": "b"}]}, {"l": [{"id": "b"}, {"id": "a"}]}) == []


def test_get_follows_keys_and_reports_missing() -> None:
    document = {"a": {"b": [{"id": "x", "v": 1}, {"area_id": "d5", "need": "n"}]}, "s": 1}
    assert get(document, "a/b/x/v") == 1
    assert get(document, "a/b/d5/need") == "n"
    assert get(document, "a/b/y/v") is MISSING
    assert get(document, "s/t") is MISSING
    assert get(document, "nope") is MISSING


def test_apply_creates_missing_dicts_on_the_way() -> None:
    assert apply({}, FieldEdit("a/b/c", "set", 1)) == {"a": {"b": {"c": 1}}}


def test_apply_through_a_missing_list_element_is_refused() -> None:
    with pytest.raises(DomainError, match="no element"):
        apply({"l": [{"id": "x"}]}, FieldEdit("l/y/v", "set", 1))


def test_apply_through_a_plain_value_is_refused() -> None:
    with pytest.raises(DomainError, match="plain value"):
        apply({"a": 1}, FieldEdit("a/b", "set", 2))


def test_apply_never_changes_its_input() -> None:
    document = {"a": {"b": [1, 2]}, "l": [{"id": "x", "v": {"w": 1}}]}
    before = repr(document)
    apply(document, FieldEdit("l/x/v/w", "set", 2))
    apply(document, FieldEdit("a/b", "set", [3]))
    apply(document, FieldEdit("l/x", "remove"))
    assert repr(document) == before


def test_leaves_rebuild_the_document_from_nothing() -> None:
    document = dump(demo_cases(TODAY)[1][2])
    rebuilt: dict[str, Any] = {}
    for path, value in leaves(document).items():
        rebuilt = apply(rebuilt, FieldEdit(path, "set", value))
    assert rebuilt == document


REFUSED = [
    FieldEdit("l/y/v", "set", 1),  # through a missing keyed element
    FieldEdit("a/b/c", "set", 2),  # through a plain value
    FieldEdit("a/b", "set", 2),  # a plain value as parent
    FieldEdit("a/b/c/d", "remove"),
]


@pytest.mark.parametrize("edit", REFUSED, ids=[e.path for e in REFUSED])
def test_apply_in_place_refuses_before_changing_anything(edit: FieldEdit) -> None:
    document: dict[str, Any] = {"a": 1, "l": [{"id": "x", "v": 1}], "m": {}}
    before = repr(document)
    with pytest.raises(DomainError):
        apply_in_place(document, edit)
    assert repr(document) == before


def test_apply_in_place_refuses_a_final_decision_edit_unchanged(decided: tuple[dict[str, Any], Decision]) -> None:
    document, made = decided
    before = repr(document)
    with pytest.raises(DecisionIsFinal):
        apply_in_place(document, FieldEdit(f"decisions/{made.id}/motivation", "set", "Ändrad"))
    assert repr(document) == before


def test_apply_in_place_copies_the_value_in() -> None:
    value = {"id": "x", "v": [1]}
    document: dict[str, Any] = {}
    apply_in_place(document, FieldEdit("l/x", "set", value))
    value["v"].append(2)
    assert document == {"l": [{"id": "x", "v": [1]}]}


# Whatever apply() refuses, apply_in_place refuses the same way without touching the document (this test found the
# TypeError on an append-only list holding a plain value, now a DecisionIsFinal).
@settings(max_examples=60, deadline=None)
@given(st.data())
def test_apply_in_place_equals_apply_on_random_edits(data: st.DataObject) -> None:
    document = dump(data.draw(st.sampled_from(demo_cases(TODAY)[1])))
    paths = [*sorted(leaves(document)), "investigation", "consents", "nope/deeper", "origin_note"]
    for _ in range(data.draw(st.integers(1, 8))):
        path = data.draw(st.sampled_from(paths))
        if data.draw(st.booleans()):
            edit = FieldEdit(path, "remove")
        else:
            edit = FieldEdit(path, "set", data.draw(st.one_of(st.none(), st.integers(), st.text(max_size=5))))
        try:
            expected = apply(document, edit)
        except Exception as refused:  # whatever apply raises (a DomainError, or see the note below), so does this
            before = repr(document)
            with pytest.raises(type(refused)):
                apply_in_place(document, edit)
            assert repr(document) == before
            continue
        apply_in_place(document, edit)
        assert document == expected


# --- decisions are append-only --------------------------------------------------------------------------


def decision(insats_id: str = "serviceinsatser") -> Decision:
    return Decision(
        proposal_id="p",
        insats_id=insats_id,
        insats_text="hemtjänst",
        outcome=DecisionOutcome.GRANTED,
        scope=Scope(amount=10),
        starts_on=TODAY,
        ends_on=TODAY + timedelta(days=180),
        law_reference_id="sol2025_11_1",
        motivation="Motivering.",
        decided_on=TODAY,
        decided_by="Handläggare Demo",
    )


@pytest.fixture
def decided() -> tuple[dict[str, Any], Decision]:
    made = decision()
    status = DecisionStatusEntry(decision_id=made.id, status=DecisionStatusKind.IN_FORCE, on=TODAY)
    case = Case(person_id="p", opened_on=TODAY, decisions=[made], decision_statuses=[status])
    return dump(case), made


def test_editing_a_field_of_a_decision_raises_decision_is_final(decided: tuple[dict[str, Any], Decision]) -> None:
    document, made = decided
    with pytest.raises(DecisionIsFinal):
        apply(document, FieldEdit(f"decisions/{made.id}/motivation", "set", "Ändrad"))
    with pytest.raises(DecisionIsFinal):
        apply(document, FieldEdit(f"decisions/{made.id}/scope/amount", "set", 20))


def test_removing_a_decision_raises_decision_is_final(decided: tuple[dict[str, Any], Decision]) -> None:
    document, made = decided
    with pytest.raises(DecisionIsFinal):
        apply(document, FieldEdit(f"decisions/{made.id}", "remove"))


def test_replacing_a_decision_whole_raises_decision_is_final(decided: tuple[dict[str, Any], Decision]) -> None:
    document, made = decided
    changed = made.model_copy(update={"motivation": "Annan"}).model_dump(mode="json")
    with pytest.raises(DecisionIsFinal):
        apply(document, FieldEdit(f"decisions/{made.id}", "set", changed))


def test_setting_the_whole_list_may_not_drop_or_change_a_decision(decided: tuple[dict[str, Any], Decision]) -> None:
    document, made = decided
    with pytest.raises(DecisionIsFinal):
        apply(document, FieldEdit("decisions", "set", []))
    with pytest.raises(DecisionIsFinal):
        apply(document, FieldEdit("decisions", "remove"))
    changed = made.model_copy(update={"motivation": "Annan"}).model_dump(mode="json")
    with pytest.raises(DecisionIsFinal):
        apply(document, FieldEdit("decisions", "set", [changed]))


def test_setting_the_whole_list_may_add_decisions(decided: tuple[dict[str, Any], Decision]) -> None:
    document, made = decided
    both = [made.model_dump(mode="json"), decision("trygghetslarm").model_dump(mode="json")]
    assert apply(document, FieldEdit("decisions", "set", both))["decisions"] == both


def test_a_new_decision_may_be_added_and_re_adding_it_is_harmless(decided: tuple[dict[str, Any], Decision]) -> None:
    document, _ = decided
    new = decision("trygghetslarm")
    edit = FieldEdit(f"decisions/{new.id}", "set", new.model_dump(mode="json"))
    once = apply(document, edit)
    assert apply(once, edit) == once
    assert len(once["decisions"]) == 2


def test_decision_statuses_are_append_only_too(decided: tuple[dict[str, Any], Decision]) -> None:
    document, _ = decided
    status_id = document["decision_statuses"][0]["id"]
    with pytest.raises(DecisionIsFinal):
        apply(document, FieldEdit(f"decision_statuses/{status_id}/status", "set", "revoked"))
    with pytest.raises(DecisionIsFinal):
        apply(document, FieldEdit(f"decision_statuses/{status_id}", "remove"))


def test_diff_adding_a_decision_to_a_case_applies_cleanly(decided: tuple[dict[str, Any], Decision]) -> None:
    document, _ = decided
    case = Case.model_validate(document)
    case.decisions.append(decision("trygghetslarm"))
    new = dump(case)
    assert apply_all(document, diff(document, new)) == new


# --- round trips on real cases --------------------------------------------------------------------------


def test_round_trip_of_a_case_edited_in_many_places() -> None:
    _people, cases = demo_cases(TODAY)
    case = cases[0]
    old = dump(case)
    case.investigation.ensure_assessment("d5").own_description = "Jag klarar inte duschen."
    case.investigation.assessments = [a for a in case.investigation.assessments if a.area_id != "d8"]
    case.investigation.assessments.append(LifeAreaAssessment(area_id="d1", own_description="Glömmer ibland."))
    case.investigation.visits[0].participants.pop()
    case.consents[0].withdrawn_on = TODAY
    case.application.items[1].in_persons_words = "Larm, tack."
    case.origin_note = ""
    case.discharge = None
    new = dump(case)
    result = apply_all(old, diff(old, new))
    assert result == new
    assert Case.model_validate(result) == case


# --- property: diff/apply round trip on generated documents ----------------------------------------------

_FIELD_NAMES = st.sampled_from(["a", "b", "c", "need", "goal", "text", "nested", "items"])
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-1000, 1000), st.text(max_size=8), st.floats(allow_nan=False, width=32)
)


@st.composite
def _value(draw: st.DrawFn, keys: itertools.count[int], depth: int) -> Any:
    kind = draw(st.sampled_from(["scalar", "scalar", "plain_list", "dict", "keyed_list"] if depth < 3 else ["scalar"]))
    if kind == "scalar":
        return draw(_SCALARS)
    if kind == "plain_list":
        return draw(st.lists(_SCALARS, max_size=3))
    if kind == "dict":
        return draw(_dict(keys, depth + 1))
    return [draw(_element(keys, depth + 1)) for _ in range(draw(st.integers(0, 3)))]


@st.composite
def _dict(draw: st.DrawFn, keys: itertools.count[int], depth: int) -> dict[str, Any]:
    names = draw(st.lists(_FIELD_NAMES, max_size=4, unique=True))
    return {name: draw(_value(keys, depth)) for name in names}


@st.composite
def _element(draw: st.DrawFn, keys: itertools.count[int], depth: int) -> dict[str, Any]:
    key_field = draw(st.sampled_from(["id", "area_id"]))
    return {key_field: f"k{next(keys)}", **draw(_dict(keys, depth))}


@st.composite
def _edited(draw: st.DrawFn, value: Any, keys: itertools.count[int], depth: int) -> Any:
    """A plausible later version of ``value``: fields changed, added, removed; elements kept in order,
    edited, removed, or appended (the way devices change documents)."""
    if draw(st.integers(0, 5)) == 0:
        return draw(_value(keys, depth))
    if isinstance(value, dict):
        out = {}
        for name, inner in value.items():
            if name in ("id", "area_id"):
                out[name] = inner
            elif draw(st.integers(0, 4)) > 0:
                out[name] = draw(_edited(inner, keys, depth + 1))
        for name in draw(st.lists(_FIELD_NAMES, max_size=2)):
            out.setdefault(name, draw(_value(keys, depth + 1)))
        return out
    if isinstance(value, list) and value and all(isinstance(e, dict) and ("id" in e or "area_id" in e) for e in value):
        kept = [draw(_edited(e, keys, depth + 1)) for e in value if draw(st.booleans())]
        return kept + [draw(_element(keys, depth + 1)) for _ in range(draw(st.integers(0, 2)))]
    return value


@st.composite
def document_pairs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = itertools.count()
    old = draw(_dict(keys, 0))
    new = draw(_edited(old, keys, 0))
    return old, new if isinstance(new, dict) else {"replaced": new}


@settings(max_examples=200)
@given(document_pairs())
def test_applying_every_edit_of_the_diff_gives_the_new_document(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    old, new = pair
    edits = diff(old, new)
    result = apply_all(old, edits)
    assert result == new
    assert diff(new, new) == []
    for edit in edits:  # each edit's value can be read back at its path
        assert get(result, edit.path) == (edit.value if edit.op == "set" else MISSING)


def test_the_first_element_of_a_missing_keyed_list_creates_a_list() -> None:
    decision = {"id": "d1", "outcome": "granted"}
    result = apply({}, FieldEdit("decisions/d1", "set", decision))
    assert result == {"decisions": [decision]}
    nested = apply({}, FieldEdit("investigation/assessments/d5", "set", {"area_id": "d5", "need": "x"}))
    assert nested == {"investigation": {"assessments": [{"area_id": "d5", "need": "x"}]}}
    assert apply({}, FieldEdit("communication/response", "set", "ok")) == {"communication": {"response": "ok"}}


def test_an_append_only_list_holding_a_plain_value_is_refused_cleanly() -> None:
    with pytest.raises(DecisionIsFinal):
        apply({"decisions": "oops"}, FieldEdit("decisions", "set", []))


def test_a_keyed_element_set_under_another_key_is_refused_and_changes_nothing() -> None:
    document: dict[str, Any] = {"decision_statuses": [{"id": "s1", "decision_id": "d1", "status": "ended"}]}
    before = repr(document)
    for path in ("decision_statuses/s2", "decision_statuses/other"):
        with pytest.raises(DomainError):
            apply_in_place(document, FieldEdit(path, "set", {"id": "s1", "decision_id": "d1", "status": "appealed"}))
    assert repr(document) == before
    apply_in_place(document, FieldEdit("decision_statuses/s2", "set", {"id": "s2", "decision_id": "d1"}))
    assert [s["id"] for s in document["decision_statuses"]] == ["s1", "s2"]


_ANY_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5)),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=15,
)


def _containers(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value, *(c for item in value.values() for c in _containers(item))]
    if isinstance(value, list):
        return [value, *(c for item in value for c in _containers(item))]
    return []


@settings(max_examples=300, deadline=None)
@given(value=_ANY_JSON)
def test_copy_json_is_a_deep_copy_sharing_no_container(value: Any) -> None:
    """An applied value is copied in (the document never shares objects with the edit), as deepcopy did."""
    copied = copy_json(value)
    assert copied == value
    assert type(copied) is type(value)
    originals = {id(c) for c in _containers(value)}
    assert not originals & {id(c) for c in _containers(copied)}
