"""An autosave that names the objects it changed writes exactly what the whole-document diff writes.

Two real SQLCipher profiles hold the same fully filled case. Each example loads it in both, makes the same random
edits (text and yes/no fields of any objects inside the case, several saves in a row so entries supersede each
other), saves one with the changed objects named and the other the old way, and compares the journal (every row,
its state included), the stored documents and the audit actions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from model_walk import model_nodes, resolve
from pydantic import BaseModel, ValidationError
from storage_support import CHEAP_KDF, PASSPHRASE, TODAY

from ibic.demo import fully_filled_case
from ibic.document_paths import FieldsOf, changed_model
from ibic.model_paths import locate
from storage.profile import Profile, create_profile
from storage.repositories.cases import CASE_SUMMARY_FIELDS

JOURNAL = ("SELECT record_type, record_id, case_id, path, op, value, base_value, base_version, state FROM journal"
           " ORDER BY seq")
DOCUMENTS = "SELECT document FROM case_documents"
AUDIT = "SELECT action, case_id, detail FROM audit ORDER BY seq"
SLOW_PATH_READ = "SELECT v.version, t.valid, v.updated_at"  # what only the whole-document save reads


def editable_fields(node: BaseModel) -> list[str]:
    """Fields a form edits in place: texts and yes/no answers (never a key: no form edits one)."""
    return [name for name in type(node).model_fields if name not in ("id", "area_id", "code")
            and isinstance(getattr(node, name), (str, bool)) and not hasattr(getattr(node, name), "value")]


_PERSON, _CASE = fully_filled_case(TODAY)
NODES = list(model_nodes(_CASE))
TEXT = st.text(alphabet="abcåäö ÖÉ-1.\n", max_size=12)
# Most edits where autosave meets them (the investigation: life areas, visits), some anywhere in the case.
INVESTIGATION = [i for i, steps in enumerate(NODES) if steps[0] == "investigation"]
NODE = st.one_of(st.sampled_from(INVESTIGATION), st.integers(0, len(NODES) - 1))
EDIT = st.tuples(NODE, st.integers(0, 40), TEXT, st.booleans())


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Profile, Profile]]:
    folder: Path = tmp_path_factory.mktemp("known-changes")
    profiles = []
    for name in ("known", "whole"):
        profile = create_profile(folder / name, PASSPHRASE, user_id="handlaggare1", device_id="device1", kdf=CHEAP_KDF)
        profile.people.save_many([_PERSON])
        profile.cases.save_many([_CASE])
        profiles.append(profile)
    yield profiles[0], profiles[1]
    for profile in profiles:
        profile.close()


def apply_edit(case: BaseModel, edit: tuple[int, int, str, bool]) -> tuple[BaseModel, str] | None:
    """Make one edit on the object the edit names; None when the model refuses the value (as the form would)."""
    node_index, field_index, text, flag = edit
    node = resolve(case, NODES[node_index])
    fields = editable_fields(node)
    if not fields:
        return None
    name = fields[field_index % len(fields)]
    value = (not getattr(node, name)) if isinstance(getattr(node, name), bool) and flag else text
    if isinstance(getattr(node, name), bool) and not flag:
        return None
    try:
        setattr(node, name, value)
    except ValidationError:
        return None
    return node, name


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(saves=st.lists(st.tuples(st.lists(EDIT, min_size=1, max_size=3), st.lists(NODE,
                                                                                   max_size=2), st.booleans()),
                      min_size=1, max_size=4))
def test_named_changes_journal_exactly_what_the_whole_diff_journals(
    twins: tuple[Profile, Profile], saves: list[tuple[list[tuple[int, int, str, bool]], list[int], bool]],
) -> None:
    known, whole = twins
    case_known, case_whole = known.cases.load(_CASE.id), whole.cases.load(_CASE.id)
    statements: list[str] = []
    with known._db.reading() as connection:
        connection.set_trace_callback(statements.append)
    try:
        for edits, unchanged_extra, by_field in saves:
            changed = []
            for edit in edits:
                made = apply_edit(case_known, edit)
                if apply_edit(case_whole, edit) is None:
                    assert made is None
                    continue
                assert made is not None
                changed.append(made)
            # Naming an object that did not change as well costs nothing and changes nothing.
            # Named as the binder names them (only the field set, ``FieldsOf``), or as whole objects.
            fields: dict[int, tuple[BaseModel, set[str]]] = {}
            for node, name in changed:
                fields.setdefault(id(node), (node, set()))[1].add(name)
            named: list[Any] = [FieldsOf(node, frozenset(names)) for node, names in fields.values()] if by_field \
                else [node for node, _ in changed]
            named += [resolve(case_known, NODES[i]) for i in unchanged_extra]
            statements.clear()
            result = known.cases.save(case_known, named)
            expected = whole.cases.save(case_whole)
            assert result.changed_paths == expected.changed_paths
            indexes = [edit[0] for edit in edits] + unchanged_extra
            touched_summary = any(NODES[i][0] in CASE_SUMMARY_FIELDS for i in indexes)
            addressable = all(locate(case_known, changed_model(item)) is not None for item in named)
            if result.changed_paths and addressable and not touched_summary:
                assert not any(s.startswith(SLOW_PATH_READ) for s in statements), "the quick save was not used"
                event("quick save, by field" if by_field else "quick save")
            assert rows(known, JOURNAL) == rows(whole, JOURNAL)
            assert rows(known, DOCUMENTS) == rows(whole, DOCUMENTS)
            assert rows(known, AUDIT) == rows(whole, AUDIT)
    finally:
        with known._db.reading() as connection:
            connection.set_trace_callback(None)
    assert known.cases.load(_CASE.id) == whole.cases.load(_CASE.id)


def rows(profile: Profile, query: str) -> list[tuple[Any, ...]]:
    with profile._db.reading() as connection:
        return list(connection.execute(query).fetchall())


def test_a_record_changed_since_the_form_loaded_it_is_merged_as_the_whole_diff_merges_it(
    twins: tuple[Profile, Profile],
) -> None:
    forms = [profile.cases.load(_CASE.id) for profile in twins]
    others = [profile.cases.load(_CASE.id) for profile in twins]  # another holder of the case: the preview, a pull
    for profile, other in zip(twins, others, strict=True):
        other.investigation.assessments[0].need = "ändrat av en annan"
        profile.cases.save(other)
    for form in forms:
        form.investigation.assessments[0].need = "ändrat i formuläret"  # both sides: a conflict
        form.investigation.assessments[1].goal = "ett nytt mål"  # this side only: merged
    known, whole = twins
    statements: list[str] = []
    with known._db.reading() as connection:
        connection.set_trace_callback(statements.append)
    try:
        known.cases.save(forms[0], [forms[0].investigation.assessments[0], forms[0].investigation.assessments[1]])
    finally:
        with known._db.reading() as connection:
            connection.set_trace_callback(None)
    whole.cases.save(forms[1])
    assert any(s.startswith(SLOW_PATH_READ) for s in statements), "a stale base must take the merging save"
    conflicts = "SELECT path, base_value, local_value, server_value, server_version FROM conflicts ORDER BY path"
    assert rows(known, conflicts) == rows(whole, conflicts) != []
    assert rows(known, JOURNAL) == rows(whole, JOURNAL)
    assert rows(known, DOCUMENTS) == rows(whole, DOCUMENTS)
    assert known.cases.load(_CASE.id).investigation.assessments[1].goal == "ett nytt mål"


def test_a_quick_save_of_a_field_in_conflict_joins_the_conflict(tmp_path: Path) -> None:
    """The quick save reads the record's conflicts with its stamp check: typing into a field that awaits the
    user's choice updates the conflict's local value and journals nothing for it, as the whole diff does."""
    from storage import journal

    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id="handlaggare1", device_id="device1", kdf=CHEAP_KDF)
    try:
        profile.people.save_many([_PERSON])
        profile.cases.save_many([_CASE])
        case = profile.cases.load(_CASE.id)
        area = case.investigation.assessments[0]
        path = f"investigation/assessments/{area.area_id}/need"
        with profile._db.transaction() as connection:
            journal.put_conflict(connection, record_type="case", record_id=case.id, case_id=case.id, path=path,
                                 base_value='"bas"', local_value='"lokal"', server_value='"server"',
                                 server_version=1, op_id=None)
        statements: list[str] = []
        with profile._db.reading() as connection:
            connection.set_trace_callback(statements.append)
        try:
            area.need = "skrivet under konflikten"
            area.goal = "ett mål"
            profile.cases.save(case, [area])
        finally:
            with profile._db.reading() as connection:
                connection.set_trace_callback(None)
        assert not any(s.startswith(SLOW_PATH_READ) for s in statements), "the quick save was not used"
        assert rows(profile, "SELECT local_value FROM conflicts") == [('"skrivet under konflikten"',)]
        assert rows(profile, "SELECT path FROM journal WHERE state = 'pending'") == [
            (f"investigation/assessments/{area.area_id}/goal",)]
    finally:
        profile.close()
