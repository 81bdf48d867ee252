"""Documents from the decisions in force: the uppdrag to the utförare and the beslutsmeddelande (issue 13, 7–8).

Both are previewed and printed through the utredning's preview dialog. The days they were sent, and the day the
person took part of the decision (delgivning), are recorded in the case (``Case.provider_orders`` and
``Case.decision_notices``) and saved by the workspace's autosave like any other edit.
"""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from ibic.case_actions import provider_contact
from ibic.cases import Case
from ibic.documents.beslutsmeddelande import build_beslutsmeddelande
from ibic.documents.bestallning import build_bestallning
from ibic.documents.decision_documents import chosen_decisions, granted, notified_decisions
from ibic.documents.outline import DocumentOutline
from ibic.notices import (
    DecisionNotice,
    ProviderOrder,
    appeal_deadline_for,
    notice_for,
    sent_ahead_of,
    sent_before_decided,
)
from ibic.people import Person
from ibic.reference import ReferenceData
from ui.common.fields import DateField
from ui.common.widgets import ReflowRow, push_button
from ui.messages import shown
from ui.session import Today


class DecisionDocumentsBox(QGroupBox):
    edited = Signal()
    document_requested = Signal(str, object)  # "order" or "notice", and the DocumentOutline

    def __init__(self, ref: ReferenceData, caseworker: str, parent: QWidget | None = None, *, today: Today) -> None:
        super().__init__(self.tr("Documents from the decision"), parent)
        self.setObjectName("decisionDocumentsBox")
        self._ref, self._caseworker = ref, caseworker
        self._case: Case | None = None
        self._person: Person | None = None
        self._today = today  # read as a day is typed or a document made: the step may stay open past midnight
        self._ids: list[str] = []  # the uppdrag's: every decision in force and the newest ones
        self._notice_ids: list[str] = []  # the beslutsmeddelande's: the newest decision day's only
        self._judged_on: date | None = None  # the day the decisions and the uppdrag's permission were judged for
        self.decisions = QLabel(self)
        self.decisions.setObjectName("documentDecisions")
        self.decisions.setWordWrap(True)
        self.order_button = push_button(
            self.tr("Preview the uppdrag to the provider…"), "previewOrderButton", self._preview_order, self
        )
        self.order_permission = QLabel(self)  # may the uppdrag go to the utförare (seed 001), and why
        self.order_permission.setObjectName("orderPermission")
        self.order_permission.setWordWrap(True)
        self._order_allowed = False
        self.notice_button = push_button(
            self.tr("Preview the beslutsmeddelande…"), "previewNoticeButton", self._preview_notice, self
        )
        self.order_sent = DateField("orderSentOn", self.tr("Date the uppdrag was sent to the provider"), self)
        self.notice_sent = DateField("noticeSentOn", self.tr("Date the beslutsmeddelande was sent"), self)
        self.notified = DateField("noticeNotifiedOn", self.tr("Date the person took part of the decision"), self)
        self.appeal = QLabel(self)
        self.appeal.setObjectName("appealDeadline")
        buttons = ReflowRow((self.order_button, self.notice_button), self)
        rows = QFormLayout(self)
        rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above their fields at large text
        rows.addRow(self.decisions)
        rows.addRow(self.order_permission)
        rows.addRow(buttons)
        rows.addRow(self.tr("Uppdrag sent"), self.order_sent)
        rows.addRow(self.tr("Beslutsmeddelande sent"), self.notice_sent)
        rows.addRow(self.tr("Delgivning (took part of it)"), self.notified)
        rows.addRow("", self.appeal)
        self.order_sent.date_edited.connect(self._order_sent_edited)
        self.notice_sent.date_edited.connect(self._notice_sent_edited)
        self.notified.date_edited.connect(self._notified_edited)

    def load(self, case: Case, person: Person, today: date) -> None:
        self._case, self._person = case, person
        self._judge(case, today)
        order, notice = self._order(), self._notice()
        self.order_sent.set_date(order.sent_on if order else None)
        self.notice_sent.set_date(notice.sent_on if notice else None)
        self.notified.set_date(notice.notified_on if notice else None)
        self._show_appeal()

    def _judge(self, case: Case, today: date) -> None:
        """The decisions the documents hold (those in force on ``today``) and whether the uppdrag may go to the
        utförare, said in the box; ``_judged_again`` judges them anew when a document is made on another day."""
        self._judged_on = today
        chosen = chosen_decisions(case, None, today)
        self._ids = [d.id for d in chosen]
        self._notice_ids = [d.id for d in notified_decisions(case, None, today)]
        self.setEnabled(bool(chosen))
        self.decisions.setText(
            self.tr("Decisions: ") + "; ".join(d.insats_text for d in chosen)
            if chosen
            else self.tr("There is no decision in force to send.")
        )
        self._show_order_permission(case, today)

    def _judged_again(self) -> None:
        """Judged on the day a document is made: the step may have stood open past the midnight a decision ended on
        or a consent ran out (s34-readback: the uppdrag, dated that morning, still ordered the insats ended the day
        before). The dates typed in the box stay as they are."""
        today = self._today()
        if self._case is not None and today != self._judged_on:
            self._judge(self._case, today)

    def _show_order_permission(self, case: Case, today: date) -> None:
        """The uppdrag names the person and their needs: it goes only to an utförare the person's signature or
        consent covers, as the request for underlag does (it had been offered whatever the person withdrew)."""
        permission = provider_contact(case, today)
        self._order_allowed = permission.allowed
        reason = shown(permission.reason)
        self.order_permission.setText(
            reason if permission.allowed
            else self.tr("The uppdrag may not go to the provider: %1").replace("%1", reason)
        )
        self.order_permission.setStyleSheet("" if permission.allowed else "color: #a4000f; font-weight: bold;")
        self.order_button.setEnabled(permission.allowed)

    def dates(self) -> tuple[DateField, ...]:
        return self.order_sent, self.notice_sent, self.notified

    # --- records ------------------------------------------------------------------------------------------
    def _newest(self, ids: list[str], *, granted_only: bool = False) -> str | None:
        """The id of the newest of ``ids`` (an uppdrag's: the newest granted one): the dates shown are its
        document's. The oldest's were shown (s25-probe): beside a rambeslut sent long ago, a new avslag
        showed the rambeslut's dates and appeal day, and the date typed for the new one rewrote the old record."""
        if self._case is None:
            return None
        held = [d.id for d in self._case.decisions if d.id in ids and (granted(d) or not granted_only)]
        return held[-1] if held else None

    def _order(self) -> ProviderOrder | None:
        newest = self._newest(self._ids, granted_only=True)
        if self._case is None or newest is None:
            return None
        carrying = [o for o in self._case.provider_orders if newest in o.decision_ids]
        return max(carrying, key=lambda o: o.sent_on) if carrying else None

    def _notice(self) -> DecisionNotice | None:
        newest = self._newest(self._notice_ids)
        if self._case is None or newest is None:
            return None
        return notice_for(self._case.decision_notices, newest)

    def _order_sent_edited(self, day: date | None) -> None:
        if self._case is None or not self._ids:
            return
        if day is not None and self._sent_refused(day, self.order_sent, self._ids):
            return
        order = self._order()
        if order is None and day is not None:
            provider = self._case.chosen_provider
            self._case.provider_orders.append(ProviderOrder(decision_ids=list(self._ids), provider=provider,
                                                            sent_on=day))
        elif order is not None and day is not None:
            order.sent_on = day
        elif order is not None:
            self._case.provider_orders.remove(order)  # the date was cleared: it was not sent after all
        else:
            return
        self.edited.emit()

    def _notice_sent_edited(self, day: date | None) -> None:
        if self._case is None or not self._ids:
            return
        if day is not None and self._sent_refused(day, self.notice_sent, self._notice_ids):
            return
        notice = self._notice()
        if notice is None and day is not None:
            self._case.decision_notices.append(DecisionNotice(decision_ids=list(self._notice_ids), sent_on=day))
        elif notice is not None and day is not None:
            if not self._assign(notice, "sent_on", day, self.notice_sent):
                return
        elif notice is not None and notice.notified_on is None:
            self._case.decision_notices.remove(notice)
        elif notice is not None:
            self.notice_sent.show_error(self.tr("Clear the date of delgivning first: it needs a date it was sent."))
            return
        else:
            return
        if not self._take_typed_delgivning():
            self._after_record()

    def _take_typed_delgivning(self) -> bool:
        """A delgivning refused as before the sending and still typed is taken once the sending is moved before it
        (or refused again, its reason said anew): the field showed it beside the older delgivning kept (s32-probe)."""
        notice = self._notice()
        typed = self.notified.value() if self.notified.is_valid() else None
        if notice is None or typed is None or typed == notice.notified_on:
            return False
        if not self._assign(notice, "notified_on", typed, self.notified):
            return False
        self._after_record()  # once for both dates, not again after the sending's
        return True

    def _notified_edited(self, day: date | None) -> None:
        notice = self._notice()
        if notice is None:
            if day is not None:
                self.notified.show_error(self.tr("Enter first the date the beslutsmeddelande was sent."))
            return
        if self._assign(notice, "notified_on", day, self.notified):
            self._after_record()

    def _sent_refused(self, day: date, field: DateField, ids: list[str]) -> bool:
        """A date before the decisions were made, or ahead of today, is refused beside ``field`` and stays typed;
        nothing is recorded."""
        assert self._case is not None
        today = self._today()
        if sent_ahead_of(today, day):
            field.show_error(self.tr("That day has not come yet (today is %1): enter the day it was sent.")
                             .replace("%1", today.isoformat()))
            return True
        made = sent_before_decided([d for d in self._case.decisions if d.id in ids], day)
        if made is None:
            field.show_error("")
            return False
        field.show_error(self.tr("The decision was made %1: it cannot have been sent before that.")
                         .replace("%1", made.isoformat()))
        return True

    def _assign(self, notice: DecisionNotice, attribute: str, day: date | None, field: DateField) -> bool:
        """Refused dates stay typed with the reason beside them; the case keeps its last valid date."""
        try:
            setattr(notice, attribute, day)
        except ValidationError:
            field.show_error(self.tr("The person cannot take part of the decision before it was sent."))
            return False
        # A message goes only where its field now shows what is recorded: one whose refused day stays typed keeps
        # its reason (s32-probe: a delgivning typed below cleared "Skickat"'s, the refused day looked recorded).
        for shown_field, recorded in ((self.notice_sent, notice.sent_on), (self.notified, notice.notified_on)):
            if shown_field.is_valid() and shown_field.value() == recorded:
                shown_field.show_error("")
        return True

    def _after_record(self) -> None:
        self._show_appeal()
        self.edited.emit()

    def _show_appeal(self) -> None:
        deadline = None
        newest = self._newest(self._notice_ids)
        if self._case is not None and newest is not None:
            weeks = self._ref.rules.deadlines.appeal_weeks
            deadline = appeal_deadline_for(self._case.decision_notices, newest, weeks)
        self.appeal.setText(
            self.tr("Last day to appeal: %1").replace("%1", deadline.isoformat()) if deadline else ""
        )

    # --- documents ----------------------------------------------------------------------------------------
    def _outline(self, kind: str) -> DocumentOutline | None:
        if self._case is None or self._person is None or not self._ids:
            return None
        if kind == "order":
            return build_bestallning(self._case, self._person, self._ref, today=self._today(),
                                     caseworker=self._caseworker, decision_ids=list(self._ids))
        return build_beslutsmeddelande(self._case, self._person, self._ref, today=self._today(),
                                       decision_ids=list(self._notice_ids))

    def _preview_order(self) -> None:
        self._judged_again()
        if not self._order_allowed:
            return
        outline = self._outline("order")
        if outline is not None:
            self.document_requested.emit("order", outline)

    def _preview_notice(self) -> None:
        self._judged_again()
        outline = self._outline("notice")
        if outline is not None:
            self.document_requested.emit("notice", outline)
