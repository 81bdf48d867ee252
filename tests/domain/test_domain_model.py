"""What every domain object shares: a refused assignment leaves the object exactly as it was."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ibic.application import ApplicationItem


def test_an_assignment_refused_by_a_cross_field_check_is_not_kept() -> None:
    # pydantic itself keeps the value when a model-level check fails; saving then would store the refused state.
    item = ApplicationItem(free_text="Hjälp med inköp")
    with pytest.raises(ValidationError, match="catalogue insats or a free-text"):
        item.free_text = "  "
    assert item.free_text == "Hjälp med inköp"
    assert ApplicationItem.model_validate(item.model_dump()) == item


def test_a_refused_field_type_leaves_the_value_too() -> None:
    item = ApplicationItem(free_text="Hjälp")
    with pytest.raises(ValidationError):
        item.free_text = 12  # type: ignore[assignment]
    assert item.free_text == "Hjälp"
