"""The steps of a case by their names, as the Go menu (built at the unlock), the navigator and the shortcut list show
them, without ``ibic.workflow``: that module brings the domain's models, which the unlocked list does not hold
(issue 14, the memory row; ``ui.case_opening``)."""

from __future__ import annotations

from ui.i18n import tr

# ``ibic.workflow.Step``'s values, in its order (tests/ui/test_first_opening.py holds them equal).
STEP_VALUES = ("case", "visit", "areas", "proposal", "check", "follow_up")


def step_titles() -> dict[str, str]:
    """The numbered title of each step by its value (a ``Step`` finds its own: it is a ``StrEnum``)."""
    titles = (
        tr("1. Case"),
        tr("2. Home visit"),
        tr("3. Mapping of life areas"),
        tr("4. Assessment and proposed decision"),
        tr("5. Check"),
        tr("6. Follow-up"),
    )
    return dict(zip(STEP_VALUES, titles, strict=True))
