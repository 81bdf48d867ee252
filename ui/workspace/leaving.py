"""The question before leaving a page, a case or the program while a field shows a text the model refused.

A refused text (longer than ``ibic.limits`` allows, an impossible date; a delområde's text, the ej aktuellt note; what
an add form holds when its add was refused) is only in its widget: the model kept its previous value. Leaving the
page reloads the widgets (a life area's form is reused for the next area, a step's page for the next case), so the
text would vanish. The question names the fields; staying (the default, and Esc) puts the focus on the first of them.
The idle lock never asks: it keeps the texts (``RefusedTexts``).

The box is opened window-modal with ``open()``, never ``exec()``: a nested event loop inside ``closeEvent`` or a
shortcut's slot is what hung the tests' teardown (pytest-qt closes its windows, and nobody answered), and an
application quitting (SIGTERM, the OS session ending) cannot wait on it. What leaving does runs when the person
answers ``Lämna``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.common.binding import typed_text
from ui.common.fields import DateField
from ui.i18n import tr

if TYPE_CHECKING:
    from ui.workspace.workspace import CaseWorkspace

QUESTION_NAME = "leaveQuestion"


def field_name(widget: QWidget) -> str:
    """What a screen reader calls the field (a date field's name is on its line)."""
    named = widget.focusProxy() if isinstance(widget, DateField) else widget
    return (named or widget).accessibleName()


def _in_add_form(widget: QWidget) -> bool:
    from ui.assessment.others import OthersEditor  # here: ``ui.workspace.workspace`` imports this module
    from ui.workspace.lists import ListEditor

    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, ListEditor | OthersEditor):
        parent = parent.parentWidget()
    return parent is not None


# Fields refused for a reason their own message gives (a scope not a number, no consent for the provider's view),
# not only for length or an impossible date: the question says only that each could not be saved.
_SAID_BESIDE: weakref.WeakSet[QWidget] = weakref.WeakSet()


def reason_said_beside(fields: list[QWidget]) -> list[QWidget]:
    """``fields`` (a page's refused fields), marked as refused for the reason beside them; returned as given."""
    _SAID_BESIDE.update(fields)
    return fields


def question_text(fields: list[QWidget]) -> str:
    """One sentence a field: its name and why its text is not stored (an add form's: not added, its message beside
    it says why)."""
    lines = []
    for widget in fields:
        if _in_add_form(widget):
            if not typed_text(widget).strip():
                continue  # an empty field beside the text not added (a source's name left out): nothing of it lost
            lines.append(tr("What you wrote in “%1” could not be added.").replace("%1", field_name(widget)))
            continue
        if widget in _SAID_BESIDE and not isinstance(widget, DateField):
            lines.append(tr("The text in “%1” could not be saved.").replace("%1", field_name(widget)))
            continue
        reason = tr("invalid date") if isinstance(widget, DateField) else tr("too long")
        lines.append(tr("The text in “%1” could not be saved (%2).").replace("%1", field_name(widget))
                     .replace("%2", reason))
    return "\n".join([*lines, tr("Leave anyway? The text is lost.")])


def ask_before_leaving(parent: QWidget, fields: list[QWidget], leave: Callable[[], object]) -> QMessageBox:
    """Ask whether to leave ``fields``' refused texts behind; ``leave()`` runs on Lämna. Stanna kvar (the default
    and Esc, also a lock closing the box) puts the focus on the first field. Returns the open box."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("The text is not saved"), question_text(fields),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName(QUESTION_NAME)
    stay = box.addButton(tr("Stay"), QMessageBox.ButtonRole.RejectRole)
    go = box.addButton(tr("Leave"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)
    first, alive = fields[0], [True]
    # The field may be gone by the answer (a proposal's editors are rebuilt as the step loads again).
    first.destroyed.connect(alive.clear)

    def answered(_result: int) -> None:
        # Once: a box answered but not yet deleted (its deleteLater waits for the event loop) is rejected again by
        # a lock's or a close's sweep of the open dialogs, and Lämna would then leave a second time.
        box.finished.disconnect(answered)
        box.deleteLater()
        if box.clickedButton() is go:
            leave()
        elif alive and first.isVisible():
            first.setFocus()

    box.finished.connect(answered)
    box.open()
    return box


def close_questions(root: QWidget) -> None:
    """Close the questions open over ``root`` as Stanna kvar: its case is taken out of the window (moved to another
    handläggare by a pull, a lock), so nothing is left to ask about, and a later Lämna would act on a gone case."""
    for box in root.findChildren(QMessageBox, QUESTION_NAME):
        if box.isVisible():
            box.reject()


def asked_before_leaving(parent: QWidget, workspace: CaseWorkspace, leave: Callable[[], object],
                         whole_case: bool = True) -> bool:
    """When ``workspace``'s shown page holds refused texts: ask (``ask_before_leaving``) and return True; on Lämna
    the texts give way to what is stored (``CaseWorkspace.drop_refused``), then ``leave()`` runs. False, and
    nothing asked, when there is none: the caller leaves at once. ``whole_case`` False: only the page is left for
    another of the same case, and a step's add forms keep what they hold (nothing of them is added or asked)."""
    workspace.add_pending(whole_case)  # what an add form holds is added now, or refused and asked about
    fields = workspace.refused_fields(whole_case)
    if not fields:
        return False

    def dropped_then_leave() -> None:
        workspace.drop_refused(whole_case)
        leave()

    ask_before_leaving(parent, fields, dropped_then_leave)
    return True
