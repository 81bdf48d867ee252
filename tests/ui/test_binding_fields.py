"""The binder names the field an edit set only when the assignment changed nothing else of the object: the
autosave then saves that field alone (``FieldsOf``); when a validator also replaced another field, the whole object
is named, so that field's new value is saved too."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator
from PySide6.QtWidgets import QLineEdit
from uihelpers import type_text

from ibic.base import DomainModel
from ui.common.binding import Binder, announced_change, announced_field


class Plain(DomainModel):
    text: str = ""
    other: str = "kvar"


class Counted(DomainModel):
    """An assignment to ``text`` also replaces ``words`` (what a validator deriving one field from another does)."""

    text: str = ""
    words: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _words(self) -> Counted:
        if self.words != self.text.split():
            self.__dict__["words"] = self.text.split()
        return self


def _announced_while_typing(qtbot: Any, model: DomainModel, text: str) -> list[tuple[Any, str | None]]:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    binder = Binder()
    binder.text(edit, lambda: model, "text")
    binder.load()
    heard: list[tuple[Any, str | None]] = []
    binder.edited.connect(lambda _name: heard.append((announced_change(), announced_field())))
    edit.setFocus()
    type_text(edit, text)
    return heard


def test_an_edit_that_sets_one_field_names_that_field(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = Plain()
    heard = _announced_while_typing(qtbot, model, "åt")
    assert [(item is model, field) for item, field in heard] == [(True, "text"), (True, "text")]
    assert model.text == "åt" and model.other == "kvar"


def test_an_edit_whose_validator_replaced_another_field_names_the_whole_object(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = Counted()
    heard = _announced_while_typing(qtbot, model, "a b")
    assert [(item is model, field) for item, field in heard] == [(True, None), (True, "text"), (True, None)]
    assert model.words == ["a", "b"]
