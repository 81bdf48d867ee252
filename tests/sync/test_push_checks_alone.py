"""Which pushed places the server checks by their own type alone (sync/server/push_checks.py ``_place``): those no
model validator on the way reads (ibic.base.reads); the rest have their whole top-level entry checked. What each
side answers over HTTP: test_server_push_ibic_values."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import AfterValidator, Field

from ibic import document_paths
from ibic.base import DomainModel
from sync.server import push_checks
from sync.server.push_checks import _place

D4 = "investigation/assessments/d4"


@pytest.mark.parametrize(("path", "alone"), [
    (f"{D4}/own_description", True), (f"{D4}/sub_areas/d450/text", True), (f"{D4}/others/o1/text", True),
    ("communication/response", True), ("consents/c1/scope", True), ("application/items/i1/in_persons_words", True),
    (f"{D4}/qualifier", False), (f"{D4}/area_id", False), (f"{D4}/sub_areas/d450/qualifier", False),
    (f"{D4}/sub_areas/d450/code", False), (f"{D4}/sub_areas/d450", False), (f"{D4}/sub_areas", False),
    ("communication/reply_by", False), ("consents/c1/withdrawn_on", False),
    ("application/items/i1/free_text", False)])
def test_which_places_are_checked_alone(path: str, alone: bool) -> None:
    assert (_place("case", path.split("/")) is not None) is alone


def _no_x(inner: _Inner) -> _Inner:
    if inner.text == "x":
        raise ValueError("no x")
    return inner


class _Inner(DomainModel):
    text: str = ""


class _Holder(DomainModel):
    id: str = "h"
    checked: Annotated[_Inner, AfterValidator(_no_x)] = Field(default_factory=_Inner)
    maybe: Annotated[_Inner, AfterValidator(_no_x)] | None = None
    plain: _Inner = Field(default_factory=_Inner)


def test_a_model_with_a_validator_of_its_field_has_the_whole_entry_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    # Fails before s20-ribiccheck: only a list's or mapping's Annotated stopped the walk, so a text inside a model
    # whose field carries a validator (which may read that text) was checked alone.
    monkeypatch.setitem(push_checks.MODELS, "holder", _Holder)

    assert _place("holder", ["plain", "text"]) is not None
    assert _place("holder", ["checked", "text"]) is None
    assert _place("holder", ["maybe", "text"]) is None
    edit = document_paths.FieldEdit("checked/text", "set", "x")
    scratch, on_the_way = push_checks.scratch_after({"checked": {"text": ""}}, edit)
    assert "no x" in push_checks.op_problem("holder", edit, scratch, on_the_way)
