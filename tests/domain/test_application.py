"""The application (ansökan): each item is a catalogue insats or free text; the person may apply for anything."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ibic.application import Application, ApplicationItem


def test_item_with_a_catalogue_insats_is_valid() -> None:
    assert ApplicationItem(insats_id="trygghetslarm").insats_id == "trygghetslarm"


def test_item_with_only_free_text_is_valid() -> None:
    assert ApplicationItem(free_text="Hjälp att sköta akvariet").free_text


@pytest.mark.parametrize("free_text", ["", "   \n"])
def test_item_with_neither_insats_nor_text_is_refused(free_text: str) -> None:
    with pytest.raises(ValidationError, match="catalogue insats or a free-text"):
        ApplicationItem(free_text=free_text, in_persons_words="Jag vill ha hjälp.")


def test_the_persons_own_words_alone_do_not_make_an_item() -> None:
    with pytest.raises(ValidationError):
        ApplicationItem(in_persons_words="Jag vill ha hjälp.")


def test_unknown_fields_are_refused_so_a_typo_cannot_vanish() -> None:
    with pytest.raises(ValidationError):
        ApplicationItem.model_validate({"insats_id": "trygghetslarm", "insats": "typo"})


def test_item_lookup_by_id() -> None:
    first, second = ApplicationItem(insats_id="serviceinsatser"), ApplicationItem(free_text="Annat")
    application = Application(items=[first, second])
    assert application.item(second.id) is second
    assert application.item("missing") is None
