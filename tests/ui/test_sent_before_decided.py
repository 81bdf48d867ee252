"""The beslutsmeddelande and the uppdrag cannot have been sent before the decision was made: such a date is refused
beside its field in Swedish, stays typed, and nothing is recorded. Before, a date a year before the decision was
recorded, and the delgivning after it gave a "last day to appeal" months before the decision existed."""

from __future__ import annotations

from datetime import timedelta

from test_decision_documents_on_screen import _documents_box, documents_window, partly_granted_dir  # noqa: F401
from uihelpers import type_text


def test_a_beslutsmeddelande_sent_before_the_decision_is_refused(qtbot, documents_window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    box, _ = _documents_box(qtbot, documents_window)
    case = documents_window.workspace.opened.case
    decided = case.decisions[0].decided_on
    early = (decided - timedelta(days=1)).isoformat()
    type_text(box.notice_sent.edit, early)
    assert f"Beslutet fattades {decided.isoformat()}" in box.notice_sent.error.text()
    assert box.notice_sent.edit.text() == early, "the refused date stays typed"
    assert case.decision_notices == []
    type_text(box.notified.edit, early)
    assert box.appeal.text() == "", "no appeal deadline from a notice never recorded"
    box.notice_sent.edit.clear()
    type_text(box.notice_sent.edit, decided.isoformat())  # the day of the decision itself is fine
    assert box.notice_sent.error.isHidden()
    assert [n.sent_on for n in case.decision_notices] == [decided]


def test_an_uppdrag_sent_before_the_decision_is_refused(qtbot, documents_window) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    box, _ = _documents_box(qtbot, documents_window)
    case = documents_window.workspace.opened.case
    decided = case.decisions[0].decided_on
    type_text(box.order_sent.edit, (decided - timedelta(days=365)).isoformat())
    assert f"Beslutet fattades {decided.isoformat()}" in box.order_sent.error.text()
    assert case.provider_orders == []
    box.order_sent.edit.clear()
    type_text(box.order_sent.edit, (decided + timedelta(days=1)).isoformat())
    assert box.order_sent.error.isHidden()
    assert [o.sent_on for o in case.provider_orders] == [decided + timedelta(days=1)]
