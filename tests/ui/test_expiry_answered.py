"""A time-limited decision about to end is no longer reminded of once a new decision answers its end (s25-probe).

The central system decides the continuation before the old decision runs out: a successor replacing it
(``replaces_decision_id``), to start the day after. On main Ctrl+T's work list kept "beslutet upphör" for the old
decision until its last day, though nothing was left to do; the decision lapsed without one is still listed
(``deadlines._lapsed``), and so is one ending with no new decision (the control below), or with only an avslag on
another insats made meanwhile (s25-rprobe: that avslag answered it on s25-probe, and the reminder went).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from uihelpers import demo_profile_with, unlock

from ibic.cases import Case
from ibic.decisions import Decision, FrozenScope
from ibic.vocabulary import DecisionOutcome

NUMBER = "DEMO-2025-0117"


@pytest.fixture(params=["continued", "not_continued", "avslag_elsewhere"])
def demo_profile_dir(request: pytest.FixtureRequest, profile_dir: Path) -> Path:
    """DEMO-2025-0117's rambeslut ends in 20 days; two days ago a successor was decided to start after it
    ("continued"), nothing ("not_continued"), or an avslag on ledsagning ("avslag_elsewhere")."""
    today = date.today()

    def ending(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == NUMBER)
        old = case.decisions[0].model_copy(update={"ends_on": today + timedelta(days=20)})
        case.decisions = [old]
        if request.param == "avslag_elsewhere":
            case.decisions.append(Decision(
                proposal_id="p-ledsagning", insats_id="ledsagning", insats_text="ledsagning",
                outcome=DecisionOutcome.REFUSED, scope=FrozenScope(), starts_on=None, ends_on=None,
                law_reference_id="sol2025_11_1", motivation="Behovet tillgodoses av dagverksamheten.",
                decided_on=today - timedelta(days=2), decided_by="Handläggare Demo"))
        if request.param == "continued":
            case.decisions.append(Decision(**{
                **old.model_dump(exclude={"id"}), "starts_on": today + timedelta(days=21),
                "ends_on": today + timedelta(days=385), "decided_on": today - timedelta(days=2),
                "replaces_decision_id": old.id,
            }))

    return demo_profile_with(profile_dir, ending)


def test_the_work_list_says_a_decision_ends_only_while_no_new_one_answers_it(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
):
    unlock(qtbot, demo_window)
    qtbot.keyClick(demo_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    panel = demo_window.case_list.work
    kinds = [panel.cell_text(r, 1) for r in range(panel.model.rowCount()) if panel.cell_text(r, 2) == NUMBER]
    assert kinds, "the case's planned follow-up is still listed"
    ends = [kind for kind in kinds if kind.startswith("beslutet upphör")]
    case_id = next(s.case_id for s in demo_window.session.summaries() if s.case_number == NUMBER)
    decisions = demo_window.session.profile.cases.load(case_id).decisions
    if decisions[-1].replaces_decision_id:  # continued
        assert ends == [], kinds  # on main: ["beslutet upphör …"] for the replaced decision
    else:
        assert len(ends) == 1, kinds
