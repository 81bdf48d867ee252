"""Parts of the follow-up form that follow the rules of ``ibic/follow_up_rules.py`` (issue 13, seeds 002 and 003).

- the rambeslut question, shown only when a followed decision is a rambeslut;
- continuity: how many staff visited in the last 14 days, and the named fast omsorgskontakt;
- the utförare's material, noted only when the rule allows it (a private utförare needs the person's consent).
"""

from __future__ import annotations

import unicodedata

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QWidget

from ibic.cases import Case
from ibic.consent import Consent
from ibic.follow_up import STAFF_COUNT_MAX, FollowUp
from ibic.follow_up_rules import (
    FRAME_QUESTION,
    changed_needs_route,
    follow_up_questions,
    is_frame_follow_up,
    provider_material_permission,
)
from ibic.reference import ReferenceData
from ibic.vocabulary import DecisionForm
from ui.common.binding import validation_message
from ui.common.fields import ErrorLabel, line_edit, text_line
from ui.common.text_area import TextArea
from ui.common.typed_run import TypedRun
from ui.common.widgets import named, wrapped_label
from ui.i18n import language, whole_number
from ui.messages import shown
from ui.session import Today

_REFUSED_STYLE = "color: #a4000f; font-weight: bold;"
CONSENT_ITEM_CHARS = 32  # the recipient, its name and the date; a limit typed beside them is read in the tooltip


class FrameFormBox(QGroupBox):
    """Seed 002: at the follow-up of a rambeslut, is a rambeslut still the right form for the person?"""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Frame decision (rambeslut)"), parent)
        self.setObjectName("frameFormBox")
        self._follow_up: FollowUp | None = None
        self.route = QLabel(self)
        self.route.setObjectName("changedNeedsRoute")
        self.route.setWordWrap(True)
        # The rambeslut's other question (is the time enough?) has no answer field of its own: the note holds it.
        self.time_question = QLabel(self)
        self.time_question.setObjectName("frameTimeQuestion")
        self.time_question.setWordWrap(True)
        self.answer = named(QComboBox(self), "frameStillRightForm", shown(FRAME_QUESTION))
        self.answer.addItem(self.tr("– choose –"), None)
        self.answer.addItem(self.tr("Yes"), True)
        self.answer.addItem(self.tr("No"), False)
        self.note = TextArea("frameFormNote", self.tr("Note on the decision form"), self)
        self.error = ErrorLabel(self)
        rows = QFormLayout(self)
        rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows.addRow(self.route)
        rows.addRow(self.time_question)
        rows.addRow(wrapped_label(shown(FRAME_QUESTION), self))
        rows.addRow(self.answer)
        rows.addRow(self.tr("Note"), self.note)
        rows.addRow("", self.error)
        self.answer.currentIndexChanged.connect(self._answered)
        self.note.textChanged.connect(self._noted)

    def load(self, case: Case, follow_up: FollowUp | None) -> None:
        """Shown only for a rambeslut; the route text says who brings changed needs to the socialsekreterare."""
        self._follow_up = None  # no edits while loading
        frame = follow_up is not None and is_frame_follow_up(case, follow_up)
        self.setVisible(frame)
        route = changed_needs_route(DecisionForm.FRAME)
        self.route.setText(f"{shown(route.text)} {shown(route.time_distribution)}")
        asked = follow_up_questions(case, follow_up)[4:] if follow_up is not None else ()
        self.time_question.setText("\n".join(shown(q) for q in asked if q != FRAME_QUESTION))
        value = follow_up.frame_still_right_form if follow_up is not None else None
        self.answer.setCurrentIndex(max(self.answer.findData(value), 0) if value is not None else 0)
        self.note.set_text(follow_up.frame_form_note if follow_up is not None else "")
        self.error.show_message("")
        self._follow_up = follow_up

    def _answered(self, _index: int) -> None:
        if self._follow_up is not None and self._follow_up.frame_still_right_form != self.answer.currentData():
            self._follow_up.frame_still_right_form = self.answer.currentData()
            self.edited.emit()

    def _noted(self) -> None:
        if self._follow_up is None:
            return
        if self._follow_up.frame_form_note == self.note.text():
            self.error.show_message("")  # back to what is stored: nothing refused is left to say
            return
        try:
            self._follow_up.frame_form_note = self.note.text()
        except ValidationError as error:  # too long; the text stays on screen. The limit said is the model's (it
            # said 2000 characters of a note that holds 200 000: s34-probe)
            self.error.show_message(validation_message(error))
            return
        self.error.show_message("")
        self.edited.emit()


class ContinuityBox(QGroupBox):
    """Seed 003 (KKiK): the number of staff in the last 14 days and the named fast omsorgskontakt."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Continuity"), parent)
        self.setObjectName("continuityBox")
        self._follow_up: FollowUp | None = None
        self.staff_count = line_edit(
            "followUpStaffCount", self.tr("Number of staff who visited in the last 14 days"), self
        )
        self.staff_error = ErrorLabel(self)
        # A TextLine: its text without control characters, as a bound field's (a NUL pasted here was stored, and the
        # server, which cannot hold U+0000, refused the follow-up's change at every sync: s34-probe).
        self.care_contact = text_line("followUpCareContact", self.tr("Named fast omsorgskontakt"), self)
        self.contact_error = ErrorLabel(self)
        rows = QFormLayout(self)
        rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows.addRow(self.tr("Staff in 14 days"), self.staff_count)
        rows.addRow("", self.staff_error)
        rows.addRow(self.tr("Fast omsorgskontakt"), self.care_contact)
        rows.addRow("", self.contact_error)
        self._counts: TypedRun[int | None] = TypedRun(("",), None)
        self.staff_count.textEdited.connect(self._count_edited)
        self.staff_count.editingFinished.connect(self._count_left)
        self.care_contact.textEdited.connect(self._contact_edited)

    def load(self, follow_up: FollowUp | None) -> None:
        self._follow_up = follow_up
        count = follow_up.staff_count_14_days if follow_up is not None else None
        self.staff_count.setText("" if count is None else str(count))
        self._counts = TypedRun((self.staff_count.text(),), count)  # a text refused puts this back
        self.care_contact.setText(follow_up.named_care_contact if follow_up is not None else "")
        self.staff_error.show_message("")
        self.contact_error.show_message("")

    def _count_edited(self, text: str) -> None:
        if self._follow_up is None:
            return
        cleaned = text.strip()
        # isdecimal, not isdigit: "²" is a digit that int() refuses (it raised out of this slot).
        if cleaned and not cleaned.isdecimal():
            self.staff_error.show_message(self.tr("Write the number of staff as a whole number, e.g. 9."))
            self._put_back_count(text)
            return
        # A whole number: say the limit, not "write a whole number". Its length first: int() refuses more than 4300
        # digits (a paste), and any number with more digits than the limit is over it. Zeros in any script ("٠٩").
        significant = "".join(str(unicodedata.decimal(digit)) for digit in cleaned).lstrip("0")
        if len(significant) > len(str(STAFF_COUNT_MAX)) or (significant and int(significant) > STAFF_COUNT_MAX):
            self.staff_error.show_message(
                self.tr("The number of staff is at most %1.").replace("%1", whole_number(STAFF_COUNT_MAX)))
            self._put_back_count(text)
            return
        self.staff_error.show_message("")
        value = int(significant or "0") if cleaned else None
        self._counts.accepted((text,), value)
        self._store_count(value)

    def _count_left(self) -> None:
        """Left with a figure taken: a key refused after it keeps that figure (``TypedRun.settled``)."""
        if self._follow_up is not None and not self.staff_error.text():
            self._counts.settled((self.staff_count.text(),), self._follow_up.staff_count_14_days)

    def _put_back_count(self, text: str) -> None:
        """A refused text keeps the count held before it was typed: "1000" stored 100 beside "at most 500", and "3,5"
        stored 3, each counted in the KKiK report (seed 003) while the screen said the text was not taken."""
        self._store_count(self._counts.before((text,)))

    def _store_count(self, value: int | None) -> None:
        assert self._follow_up is not None
        if value != self._follow_up.staff_count_14_days:
            self._follow_up.staff_count_14_days = value
            self.edited.emit()

    def _contact_edited(self, _typed: str) -> None:
        if self._follow_up is None:
            return
        text = self.care_contact.text()  # not ``_typed``, the signal's text, which holds control characters
        if text.strip() == self._follow_up.named_care_contact:
            self.contact_error.show_message("")  # back to what is stored: nothing refused is left to say
            return
        try:
            self._follow_up.named_care_contact = text.strip()
        except ValueError:
            self.contact_error.show_message(self.tr("The name is too long: at most 200 characters."))
            return
        self.contact_error.show_message("")
        self.edited.emit()


class ProviderMaterialBox(QGroupBox):
    """The utförare's view and material: noted only when ``provider_material_permission`` allows it.

    A refused text stays in the field with the reason beside it; once a covering consent is chosen it is noted.
    """

    edited = Signal()

    def __init__(self, ref: ReferenceData, parent: QWidget | None = None, *, today: Today) -> None:
        super().__init__(self.tr("The provider's material"), parent)
        self.setObjectName("providerMaterialBox")
        self._ref = ref
        self._case: Case | None = None
        self._follow_up: FollowUp | None = None
        self._today = today  # read as the rule is judged: the material is noted on the day it is typed
        self.consent = named(QComboBox(self), "providerConsent", self.tr("The person's consent to the provider"))
        # An item names a limited consent's scope as typed (any length): the box asks the width of a short item, not
        # its longest one (that made the page scroll sideways at 20 pt), and the whole text is in the tooltips.
        self.consent.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.consent.setMinimumContentsLength(CONSENT_ITEM_CHARS)
        self.permission = QLabel(self)
        self.permission.setObjectName("providerPermission")
        self.permission.setWordWrap(True)
        self.view = TextArea("followUpProviderView", self.tr("The provider's view"), self)
        self.error = ErrorLabel(self)
        self.error.setObjectName("providerViewError")
        rows = QFormLayout(self)
        rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows.addRow(self.tr("Consent"), self.consent)
        rows.addRow("", self.permission)
        rows.addRow(self.tr("The provider's view"), self.view)
        rows.addRow("", self.error)
        self.consent.currentIndexChanged.connect(self._consent_chosen)
        self.consent.currentTextChanged.connect(self.consent.setToolTip)
        self.view.textChanged.connect(self._view_edited)

    def load(self, case: Case, follow_up: FollowUp | None) -> None:
        self._case, self._follow_up = case, None  # no edits while loading
        self.consent.clear()
        self.consent.addItem(self.tr("– no consent –"), None)
        for consent in case.consents:
            if consent.given:  # a refusal covers nothing: it is why the rule says no, not a consent to choose
                text = self._describe(consent)
                self.consent.addItem(text, consent.id)
                self.consent.setItemData(self.consent.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        chosen = follow_up.provider_consent_id if follow_up is not None else None
        self.consent.setCurrentIndex(max(self.consent.findData(chosen), 0) if chosen else 0)
        self.view.set_text(follow_up.provider_view if follow_up is not None else "")
        self.error.show_message("")
        self._follow_up = follow_up
        self.refresh()

    def _describe(self, consent: Consent) -> str:
        who = self._ref.label("consent_recipient", consent.recipient.value, language())
        name = f" – {consent.recipient_name}" if consent.recipient_name else ""
        scope = f": {consent.scope.strip()}" if consent.scope.strip() else ""  # a limited consent, as listed
        return f"{who}{name} ({consent.given_on.isoformat()}){scope}"

    def refresh(self) -> None:
        """Show what the rule says now (the consent, the utförare or the follow-up's date may have changed)."""
        if self._case is None or self._follow_up is None:
            self.permission.setText("")
            return
        permission = provider_material_permission(self._case, self._follow_up, self._ref, self._today())
        self.permission.setText(shown(permission.reason))
        self.permission.setStyleSheet("" if permission.allowed else _REFUSED_STYLE)

    def _allowed(self) -> bool:
        assert self._case is not None and self._follow_up is not None
        return provider_material_permission(self._case, self._follow_up, self._ref, self._today()).allowed

    def _consent_chosen(self, _index: int) -> None:
        if self._follow_up is None:
            return
        chosen = self.consent.currentData()
        if chosen != self._follow_up.provider_consent_id:
            self._follow_up.provider_consent_id = chosen
            self.edited.emit()
        self.refresh()
        self._view_edited()  # text refused before may now be noted

    def _view_edited(self) -> None:
        if self._follow_up is None:
            return
        text = self.view.text()
        if text == self._follow_up.provider_view:
            self.error.show_message("")
            return
        if text.strip() and not self._allowed():
            # Nothing is noted, nothing typed is lost: the text waits in the field for a covering consent.
            self.error.show_message(self.permission.text())
            return
        try:
            self._follow_up.provider_view = text
        except ValidationError as error:  # too long: the text stays on screen
            self.error.show_message(validation_message(error))
            return
        self.error.show_message("")
        self.edited.emit()
