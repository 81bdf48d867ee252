"""Drafts: what the workspace holds of a case that the case does not (an add form's text not yet added, a text a
save refused), kept in the encrypted profile (``storage.drafts``) so a kill, a crash, a power loss or the OS
session's end loses none of it.

Written with the autosave's debounce after typing in an add form, an edit, or a refusal said or lifted, and at once
when the case is left (another case, the list, a lock, a quit) and at the OS session's end: each time the case's
draft is replaced by what the widgets hold now, so a text added, saved or cleared leaves the draft with its next
write, and a draft equal to the one stored writes nothing. Typed back when the case is next opened from the list
(after a kill, a crash or the session's end; the unlock after a lock types back what it kept in memory instead):
each add form's text into its form, not added; the refused texts into their fields, refused again with their
messages; a notice says so. A case changed meanwhile (a sync) is opened as it is now: the drafts are typed over it
as the person typed them, and nothing is added or saved until the person does (docs/architecture.md, "Drafts").
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from storage.drafts import DRAFT_MAX
from ui.common.fields import ErrorLabel

if TYPE_CHECKING:
    from ui.workspace.closing_dialog import ClosingKept
    from ui.workspace.underlag_dialog import UnderlagKept
    from ui.workspace.workspace import CaseWorkspace, RefusedTexts

log = logging.getLogger(__name__)

# Each text is kept up to this many characters: five times the longest a field stores (ibic.limits.LONG_TEXT_MAX,
# 200,000), so a text refused for its length comes back whole to be shortened; a longer one (a paste gone wrong) is
# kept cut, and the notice says so. storage.drafts.DRAFT_MAX bounds the whole value (``encode``).
DRAFT_TEXT_MAX = 1_000_000
# A draft's texts, all of them: a few fields refusing at once, below storage.drafts.DRAFT_MAX (4,000,000).
DRAFT_TOTAL_MAX = 3_500_000
_FORMAT = 1

Typed = tuple[tuple[str, str, str, str], ...]  # (step, area id, the field's object name, its text)


@dataclass(frozen=True)
class Drafts:
    """A case's drafts: the add forms' texts not added, and the shown page's texts a save refused."""

    typed: Typed = ()
    refused: RefusedTexts | None = None
    cut: bool = False  # a text was longer than DRAFT_TEXT_MAX and is kept cut
    # The follow-up the follow-up page showed ("" when no text is the follow-up step's): its goal form and fields
    # are that follow-up's, so the texts come back under it, not under the one the page shows first.
    follow_up: str = ""
    # The binder of each of ``refused.fields`` by its holder's object name (a proposal's carries its id): a sync
    # may add or remove a proposal before the draft is typed back, so the binders' places on the page are not kept.
    binders: tuple[str, ...] = ()
    # Set when typed back (never stored): that follow-up is gone (a sync), the texts are under the one shown; a
    # refused text's field is gone (a proposal a sync removed), so it is typed nowhere.
    elsewhere: bool = False
    gone: bool = False
    # The request for underlag open, as adapted: a kill while locked lost it, though the lock keeps every other text
    # here (s25-rprobe); opened again on its follow-up.
    underlag: UnderlagKept | None = None
    # The closing question open, as answered so far (s33-close2: kept over a lock, and so over a kill while locked).
    closing: ClosingKept | None = None


def _cut(text: str, budget: list[int]) -> str:
    kept = text[:min(DRAFT_TEXT_MAX, max(budget[0], 0))]
    budget[0] -= len(kept)
    return kept


def encode(drafts: Drafts, total: int = DRAFT_TOTAL_MAX) -> str:
    """The value stored for ``drafts``; "" when there is nothing to keep. Each text is kept up to DRAFT_TEXT_MAX
    characters and all of them up to ``total``; a value JSON's escapes (a text of line breaks) make longer than the
    store keeps is encoded again with half the room."""
    refused = drafts.refused
    if not drafts.typed and refused is None and drafts.underlag is None and drafts.closing is None:
        return ""
    budget = [total]
    typed = [[step, area, name, _cut(text, budget)] for step, area, name, text in drafts.typed]
    value: dict[str, Any] = {"format": _FORMAT, "typed": typed}
    if refused is not None:
        value["refused"] = {
            "step": refused.step, "area": refused.area_id,
            "fields": [[index, [[at, _cut(text, budget)] for at, text in texts]] for index, texts in refused.fields],
            "named": [[name, _cut(text, budget)] for name, text in refused.named],
        }
    if drafts.follow_up:
        value["follow_up"] = drafts.follow_up
    if drafts.binders:
        value["binders"] = list(drafts.binders)
    if drafts.underlag is not None:
        kept = drafts.underlag
        value["underlag"] = {"follow_up": kept.follow_up_id, "full": kept.full_number, "text": _cut(kept.text, budget)}
    if drafts.closing is not None:
        reason = drafts.closing.reason
        value["closing"] = {"reason": None if reason is None else reason.value,
                            "note": _cut(drafts.closing.note, budget)}
    value["cut"] = drafts.cut or total < DRAFT_TOTAL_MAX or _any_longer(drafts, total)
    encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return encode(drafts, total // 2) if len(encoded) > DRAFT_MAX else encoded


def _any_longer(drafts: Drafts, total: int) -> bool:
    texts = [text for *_, text in drafts.typed] + ([drafts.underlag.text] if drafts.underlag is not None else [])
    texts += [drafts.closing.note] if drafts.closing is not None else []
    if drafts.refused is not None:
        texts += [text for _i, pairs in drafts.refused.fields for _a, text in pairs]
        texts += [text for _n, text in drafts.refused.named]
    return any(len(text) > DRAFT_TEXT_MAX for text in texts) or sum(map(len, texts)) > total


def loaded(value: str, draft_format: int) -> dict[str, Any]:
    """The JSON object a stored draft value holds; ValueError when it is not one, or of another format (a newer
    program's): the callers log that without the text and type nothing back."""
    data = json.loads(value)
    if not isinstance(data, dict) or data.get("format") != draft_format:
        raise ValueError("unknown draft format")
    return data


def decode(value: str, case_id: str) -> Drafts | None:
    """The drafts ``value`` holds; None for "" or a value this program cannot read (logged, without its text)."""
    if not value:
        return None
    from ibic.vocabulary import ClosingReason
    from ui.workspace.closing_dialog import ClosingKept
    from ui.workspace.underlag_dialog import UnderlagKept
    from ui.workspace.workspace import RefusedTexts

    try:
        data = loaded(value, _FORMAT)
        typed = tuple((str(step), str(area), str(name), str(text)) for step, area, name, text in data["typed"])
        refused = data.get("refused")
        kept = None if refused is None else RefusedTexts(
            case_id, str(refused["step"]), str(refused["area"]),
            tuple((int(index), tuple((int(at), str(text)) for at, text in texts))
                  for index, texts in refused["fields"]),
            tuple((str(name), str(text)) for name, text in refused["named"]),
        )
        underlag = data.get("underlag")
        closing = data.get("closing")
        return Drafts(typed, kept, bool(data.get("cut")), str(data.get("follow_up", "")),
                      tuple(str(name) for name in data.get("binders", ())),
                      underlag=None if underlag is None else UnderlagKept(
                          str(underlag["follow_up"]), bool(underlag["full"]), str(underlag["text"])),
                      closing=None if closing is None else ClosingKept(
                          None if closing["reason"] is None else ClosingReason(closing["reason"]),
                          str(closing["note"])))
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        log.warning("draft not read", extra={"error_type": type(error).__name__})
        return None


class DraftKeeper(QObject):
    """Keeps the workspace's drafts in the profile: ``touched`` after an edit, ``keep`` now, ``take`` on opening."""

    def __init__(self, workspace: CaseWorkspace, debounce_ms: int) -> None:
        super().__init__(workspace)
        self._workspace = workspace
        self._written: dict[str, str] = {}  # each case's draft value as stored (read on opening, then written)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(debounce_ms)
        self.timer.timeout.connect(self.keep)
        # A refused text is typed without any edit reaching the case: its message, said or lifted, is the sign.
        ErrorLabel.listen(self.touched)

    def touched(self, *_args: object) -> None:
        self.timer.start()

    def stop(self) -> None:
        """The workspace goes: no more writes from its timer."""
        self.timer.stop()
        ErrorLabel.stop_listening(self.touched)

    def keep(self) -> None:
        """Replace the open case's draft with what the workspace holds now (its edits saved first, so a text just
        added is in the case before it leaves the draft)."""
        self.timer.stop()
        workspace = self._workspace
        if workspace.has_unsaved_changes:
            workspace.save_now()
        case_id = workspace.opened.case.id
        value = encode(workspace.drafts())
        if self._written.get(case_id, "") == value:
            return
        try:
            workspace.session.profile.drafts.keep(case_id, value)
        except Exception as error:  # a locked or full store: the texts stay in the widgets, kept at the next write
            log.warning("draft not kept", extra={"error_type": type(error).__name__})
            return
        self._written[case_id] = value

    def take(self) -> Drafts | None:
        """The open case's draft as stored; None when it has none (or it cannot be read)."""
        workspace = self._workspace
        case_id = workspace.opened.case.id
        try:
            value = workspace.session.profile.drafts.read(case_id)
        except Exception as error:
            log.warning("draft not read", extra={"error_type": type(error).__name__})
            return None
        self._written[case_id] = value
        return decode(value, case_id)


def draft_notice(cut: bool, tr: Callable[[str], str], elsewhere: bool = False, gone: bool = False) -> str:
    """The status bar's sentence after drafts were typed back."""
    notice = tr("Text you had typed but not added or saved was restored. Check it, then add or "
                "correct it: nothing was added to the case.")
    if cut:
        notice += " " + tr("A very long text was kept shortened.")
    if elsewhere:
        notice += " " + tr("The follow-up it was typed for no longer exists: it is shown under the follow-up "
                           "selected now.")
    if gone:
        notice += " " + tr("Text typed for something the case no longer holds could not be put back.")
    return notice
