"""The request body's depth check (sync/server/strict_json.py) against the plain walk it replaced: same answer for
every JSON value and limit; only containers are stacked now."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.server.strict_json import nested_deeper_than


def _reference(value: Any, limit: int) -> bool:
    """The walk before s12-push: every child stacked, scalars included."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=40,
)


@settings(deadline=None, max_examples=300)
@given(JSON, st.integers(min_value=0, max_value=8))
def test_the_depth_check_answers_as_the_plain_walk(value: Any, limit: int) -> None:
    assert nested_deeper_than(value, limit) == _reference(value, limit)


def test_depth_counts_containers_only_and_the_root_is_level_one() -> None:
    assert not nested_deeper_than("text", 0)
    assert nested_deeper_than([], 0) and not nested_deeper_than([], 1)
    assert not nested_deeper_than({"a": [1, "x", None]}, 2) and nested_deeper_than({"a": [[]]}, 2)
    deep: Any = []
    for _ in range(200):
        deep = [deep, 1, "x"]
    assert nested_deeper_than(deep, 64) and not nested_deeper_than(deep, 201)
