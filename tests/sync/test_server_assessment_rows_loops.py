"""The rows a push writes for a case's life areas, built by plain loops since s21-pushsrv (``Writes._by_key``,
``fold_rows_alone``), against the code they replaced (kept below as it was at 85fced1): the same rows updated and
deleted (their order was a set's, so it is compared sorted), the same rows inserted in the same order, and the
same answer and positions from the fold."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ibic import document_paths
from sync.server.assessment_rows import LIST, TOP, AreaState, Writes, fold_rows_alone


def _by_key_as_before(writes: Writes, t: str, i: str, state: AreaState, elements: list[Any]) -> None:
    after: dict[str | None, list[Any]] = {}
    for element in elements:
        after.setdefault(document_paths.element_key(element), []).append(element)
    new: list[Any] = []
    for key in {*state.positions, *after}:
        positions, values = state.positions.get(key, []), after.get(key, [])
        for position, value in zip(positions, values, strict=False):
            writes.updated.append({"t": t, "i": i, "p": position, "v": value})
        writes.deleted.extend({"t": t, "i": i, "p": p} for p in positions[len(values):])
        new.extend(values[len(positions):])
    writes._insert(t, i, [e for e in elements if any(e is n for n in new)])


def _fold_as_before(document: dict[str, Any], state: AreaState, rows: list[tuple[int, Any]]) -> bool:
    positions: dict[str | None, list[int]] = {}
    for position, value in rows:
        positions.setdefault(document_paths.element_key(value), []).append(position)
    if any(key not in positions for key in state.keys):
        return False
    document[TOP] = {LIST: [value for _, value in rows]}
    state.positions, state.base_read = positions, {LIST: []}
    return True


_KEYS = st.sampled_from(["d1", "d4", "d5", "b1", ""])  # "" and a dict without a key field: element_key None
_ELEMENT = st.one_of(
    st.builds(lambda k, text: {"area_id": k, "own_description": text}, _KEYS, st.text(max_size=3)),
    st.builds(lambda k: {"code": k}, _KEYS),
    st.just({"note": "utan nyckel"}),
    st.sampled_from([1, "d4", None, True]),  # not a dict (a malformed list): no key, shared objects
)


def _positions(keys: list[str | None], numbers: list[int]) -> dict[str | None, list[int]]:
    positions: dict[str | None, list[int]] = {}
    for key, number in zip(keys, numbers, strict=False):
        positions.setdefault(key, []).append(number)
    return positions


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(read_keys=st.lists(st.sampled_from(["d1", "d4", "d5", "b1", None]), max_size=8),
       numbers=st.lists(st.integers(1, 40), min_size=8, max_size=8, unique=True),
       elements=st.lists(_ELEMENT, max_size=8))
def test_the_rows_written_by_key_are_those_the_old_loops_wrote(read_keys: list[str | None], numbers: list[int],
                                                                elements: list[Any]) -> None:
    state = AreaState(whole=False, positions=_positions(read_keys, numbers))
    now, before = Writes(), Writes()
    now._by_key("case", "c-1", state, elements)
    _by_key_as_before(before, "case", "c-1", state, elements)

    def by_position(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda row: row["p"])

    assert by_position(now.updated) == by_position(before.updated)
    assert all(a["v"] is b["v"] for a, b in zip(by_position(now.updated), by_position(before.updated), strict=True))
    assert by_position(now.deleted) == by_position(before.deleted)
    assert now.inserted == before.inserted
    assert all(a["v"] is b["v"] for a, b in zip(now.inserted, before.inserted, strict=True))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(keys=st.sets(st.sampled_from(["d1", "d4", "d5", "b1"]), max_size=3),
       rows=st.lists(st.tuples(st.integers(1, 40), _ELEMENT), max_size=6))
def test_the_fold_of_rows_read_is_the_old_one(keys: set[str], rows: list[tuple[int, Any]]) -> None:
    now_state, before_state = AreaState(keys=set(keys), whole=False), AreaState(keys=set(keys), whole=False)
    now_document: dict[str, Any] = {"investigation": {"x": 1}}
    before_document = copy.deepcopy(now_document)

    assert fold_rows_alone(now_document, now_state, rows) == _fold_as_before(before_document, before_state, rows)
    assert now_document == before_document
    assert (now_state.positions, now_state.base_read) == (before_state.positions, before_state.base_read)
