"""``locate`` tries first where it found an object last time: after the case changed shape around that object (a
list reordered, an element removed, a key changed or emptied, the object replaced by a copy) it answers exactly
what a search of the whole case answers.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from model_walk import Steps, model_nodes, resolve
from pydantic import BaseModel

from ibic.demo import fully_filled_case
from ibic.document_paths import KEY_FIELDS
from ibic.model_paths import _locate, locate

_, _CASE = fully_filled_case(date(2026, 3, 2))
NODES = list(model_nodes(_CASE))
IN_LISTS = [steps for steps in NODES if isinstance(steps[-1], int)]
CHANGE = st.sampled_from(["reverse", "pop", "rekey", "unkey", "copy_parent", "none"])


def change_shape(case: BaseModel, steps: Steps, change: str, text: str) -> None:
    """Change the list holding the element at ``steps`` (or the element), bypassing validation as a bug might."""
    elements = resolve(case, steps[:-1])
    element = elements[steps[-1]]
    key_field = next((f for f in KEY_FIELDS if isinstance(element.__dict__.get(f), str)), None)
    if change == "reverse":
        elements.reverse()
    elif change == "pop":
        elements.pop(steps[-1])
    elif change in ("rekey", "unkey") and key_field is not None:
        element.__dict__[key_field] = text if change == "rekey" else ""
    elif change == "copy_parent":
        elements[steps[-1]] = element.model_copy(deep=True)


@settings(max_examples=300, deadline=None)
@given(target=st.sampled_from(NODES), changed=st.sampled_from(IN_LISTS), change=CHANGE,
       text=st.text(alphabet="abcd0", min_size=1, max_size=3))
def test_locating_again_after_the_case_changed_shape_answers_as_a_search(
    target: Steps, changed: Steps, change: str, text: str,
) -> None:
    case = _CASE.model_copy(deep=True)
    node = resolve(case, target)
    assert locate(case, node) == _locate(case, node, (), ())  # found, and remembered
    change_shape(case, changed, change, text)
    assert locate(case, node) == _locate(case, node, (), ())
    assert locate(case.model_copy(deep=True), node) is None  # another case never holds it
