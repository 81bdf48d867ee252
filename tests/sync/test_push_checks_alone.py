"""Which pushed places the server checks by their own type alone (sync/server/push_checks.py ``_place``): those no
model validator on the way reads (ibic.base.reads); the rest have their whole top-level entry checked. What each
side answers over HTTP: test_server_push_ibic_values."""

from __future__ import annotations

import pytest

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
