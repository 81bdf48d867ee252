"""Short Swedish (or English) names of deadlines and of what was applied for, shared by the case list, the work
list and the case header."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ibic.reminders import ReminderKind
from ui.i18n import language, tr

if TYPE_CHECKING:
    from ibic.reference_files import ListedReference  # only named: the list is handed the loaded labels


def deadline_kind_text(kind: ReminderKind) -> str:
    """What a deadline is for, in a few words (the reminder's own sentence is too long for one line)."""
    texts = {
        ReminderKind.DECISION_EXPIRING: tr("decision ends"),
        ReminderKind.REASSESSMENT_DUE: tr("yearly reassessment"),
        ReminderKind.UNDECIDED_APPLICATION: tr("application six months old"),
        ReminderKind.INVESTIGATION_SLOW: tr("target for the decision"),
        ReminderKind.DISCHARGE_SIP: tr("SIP invitation"),
        ReminderKind.DISCHARGE_PAYMENT: tr("payment for hospital days"),
        ReminderKind.COMMUNICATION_REPLY: tr("reply to kommunicering"),
        ReminderKind.LARGE_DECISION_FOLLOW_UP: tr("follow-up of a large decision"),
        ReminderKind.FOLLOW_UP_PLANNED: tr("planned follow-up"),
        ReminderKind.DECISIONS_HELD: tr("decisions in force"),
    }
    return texts[kind]


def applied_for_text(items: tuple[str, ...] | list[str], ref: ListedReference) -> str:
    """"Hemtjänst, trygghetslarm": catalogue insatser by their label, free texts as typed."""
    labels = []
    for item in items:
        insats = ref.insats(item)
        if insats is None:
            labels.append(item.strip())
        else:
            labels.append(insats.label_sv if language() == "sv" else insats.label_en)
    return ", ".join(label for label in labels if label)


def closing_text(closing: str, ref: ListedReference) -> str:
    """Why a case was closed as the list shows it beside "Avslutad" (storage's ``closing`` column: a reason's value,
    or "other:" and the handläggare's words): "Avlidit", "Annat: Bor hos sonen"; "" for none. A reason from a newer
    program than this one is shown as stored."""
    if not closing:
        return ""
    reason, _, note = closing.partition(":")
    try:
        label = ref.label("closing_reason", reason, language())
    except KeyError:
        label = reason
    return f"{label}: {note}" if note else label

