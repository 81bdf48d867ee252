"""Consents (samtycke) recorded per contact: given or refused ("samtycker inte"), withdrawn; a withdrawal is the
person's own decision. A refusal is a record of its own, never a withdrawal: the journal holds a new consent with
``given`` false, a withdrawal the date set on the consent it ends, and the audit log says which (``recorded``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QMessageBox, QPushButton, QWidget

from ibic.case_actions import consent_given_on_problem, withdraw_consent
from ibic.cases import Case
from ibic.consent import Consent, refused_later
from ibic.errors import RefusalNotWithdrawn
from ibic.reference import ReferenceData
from ibic.vocabulary import ConsentForm, ConsentRecipient
from ui.common.fields import DateField, text_line
from ui.common.widgets import ignoring_checked, named
from ui.i18n import language, tr
from ui.messages import shown
from ui.session import Today
from ui.workspace.lists import ListEditor
from ui.workspace.person_section import vocabulary_combo

CONSENT_REMOVED = "consent_removed"  # the audit action of a consent taken out of the case (Ta bort markerad)
RECORDED_ANEW = ("consent_given", "consent_refused")  # the audit actions of a consent recorded


class ConsentSection(ListEditor):
    """The consent list with a form for a new consent and a "withdraw" action."""

    consents_changed = Signal()
    # The audit action (consent_given, consent_refused, consent_withdrawn, consent_removed), the Consent.
    recorded = Signal(str, object)

    def __init__(self, ref: ReferenceData, caseworker: str, parent: QWidget | None = None, *, today: Today,
                 born: Callable[[], date | None] = lambda: None) -> None:
        self._ref, self._caseworker = ref, caseworker
        self._case: Case | None = None
        self._today = today  # read when a consent is added or withdrawn: the step may stay open past midnight
        self._born = born  # the person's birth as the number now reads (it may be corrected on the same step)
        form = QWidget(parent)
        self.recipient = vocabulary_combo(
            ref, "consent_recipient", list(ConsentRecipient), "consentRecipient", tr("Consent to contact"), form
        )
        self.recipient_name = text_line("consentRecipientName", tr("Name of the contact"), form)
        self.scope = text_line("consentScope", tr("What the consent covers"), form)
        self.form_combo = vocabulary_combo(
            ref, "consent_form", list(ConsentForm), "consentForm", tr("Written or oral"), form
        )
        # The person's answer: a refusal is recorded as a consent is (whom, what, how, when), as seed 002 asks.
        self.answer = named(QComboBox(form), "consentAnswer", tr("The person's answer"))
        self.answer.addItem(tr("Gives consent"), True)
        self.answer.addItem(tr("Does not consent"), False)
        self.given_on = DateField("consentGivenOn", tr("Date of consent"), form)
        rows = QFormLayout(form)
        rows.addRow(tr("Contact"), self.recipient)
        rows.addRow(tr("Name"), self.recipient_name)
        rows.addRow(tr("Covers"), self.scope)
        rows.addRow(tr("Form"), self.form_combo)
        rows.addRow(tr("Answer"), self.answer)
        rows.addRow(tr("Date"), self.given_on)
        self.withdraw_button = QPushButton(tr("Withdraw selected"))
        self.withdraw_button.setObjectName("consentsWithdraw")
        self.withdraw_button.setAccessibleName(tr("Withdraw the selected consent"))
        super().__init__(
            tr("Consents"),
            "consents",
            form,
            self._describe_consent,
            self._build_consent,
            parent,
            extra_buttons=[self.withdraw_button],
        )
        self.withdraw_button.clicked.connect(ignoring_checked(self._withdraw))
        self.edited.connect(self.consents_changed)

    def load(self, case: Case, today: date) -> None:
        self._case = case
        if self.bind(lambda: case.consents):  # the same case's step shown again keeps the form as typed
            self.given_on.set_date(today)

    def _describe_consent(self, consent: Consent) -> str:
        who = self._ref.label("consent_recipient", consent.recipient.value, language())
        name = f" – {consent.recipient_name}" if consent.recipient_name else ""
        form = self._ref.label("consent_form", consent.form.value, language()).lower()
        state = self._state(consent)
        # What it covers when limited: the person may consent to one matter only, and this list is where it is read.
        scope = f": {consent.scope}" if consent.scope.strip() else ""
        return f"{who}{name} ({form}, {state}){scope}"

    def _state(self, consent: Consent) -> str:
        if not consent.given:
            return tr("does not consent %1").replace("%1", consent.given_on.isoformat())
        if consent.withdrawn_on:
            return tr("withdrawn %1").replace("%1", consent.withdrawn_on.isoformat())
        refusal = refused_later(self._case.consents, consent, self._today()) if self._case is not None else None
        if refusal is not None:  # the person's later no ends it: the list must not show it as standing
            return tr("given %1, then no %2").replace("%1", consent.given_on.isoformat()).replace(
                "%2", refusal.given_on.isoformat())
        return tr("given %1").replace("%1", consent.given_on.isoformat())

    def _build_consent(self) -> Consent | None:
        today = self._today()
        if not self.given_on.typed():  # the default, today as the step was shown: today as the consent is added
            self.given_on.set_date(today)
        if not self.given_on.is_valid() or self.given_on.value() is None:
            # The field's own reason where it has one: 9999-12-31 exists, it is outside the range (s32-probe2).
            self.error.show_message(self.given_on.error.text() or tr("Enter a real date as YYYY-MM-DD."))
            return None
        if (problem := consent_given_on_problem(self.given_on.value() or today, today, self._born())) is not None:
            self.error.show_message(shown(problem))
            return None
        if self.recipient.currentData() == ConsentRecipient.NAMED_PERSON and not self.recipient_name.text().strip():
            self.error.show_message(tr("Write the name of the person the consent concerns."))
            return None
        built = Consent(
            recipient=self.recipient.currentData(),
            recipient_name=self.recipient_name.text().strip(),
            scope=self.scope.text().strip(),
            form=self.form_combo.currentData(),
            given=bool(self.answer.currentData()),
            given_on=self.given_on.value() or today,
            recorded_by=self._caseworker,
        )
        self.recipient_name.clear()
        self.scope.clear()
        self.answer.setCurrentIndex(0)  # each refusal a choice of its own, never carried over to the next add
        return built

    def _add(self) -> None:
        """Add what the form holds; the audit hears of it once it is in the case."""
        before = len(self._items())
        super()._add()
        added = self._items()[before:]
        for consent in added:
            self.recorded.emit("consent_given" if consent.given else "consent_refused", consent)

    def _remove(self) -> None:
        """"Ta bort markerad" erases what the person said, so it is asked first, Behåll the default (s35-probedocs: one
        key beside "Återkalla markerat" took a refusal or a withdrawal out of the case, and with it the no that kept
        the utförare from the uppdrag, without a word). A consent recorded by mistake is still removed here."""
        selected = self.selected_id()
        consent = next((c for c in self._case.consents if c.id == selected), None) if self._case else None
        if consent is not None and not self._removal_confirmed(consent):
            return
        super()._remove()
        if consent is not None and self._case is not None and all(c.id != consent.id for c in self._case.consents):
            self.recorded.emit(CONSENT_REMOVED, consent)  # what the person said is gone: the audit log says so

    def _removal_confirmed(self, consent: Consent) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, tr("Remove the consent?"),
                          tr("Remove %1 from the case?").replace("%1", self._describe_consent(consent)), parent=self)
        box.setObjectName("removeConsentQuestion")
        box.setInformativeText(tr(
            "Remove only a consent recorded by mistake. If the person has changed their mind, withdraw the consent "
            "or record the new answer instead: what the person said stays in the case, and the utredning shows it."))
        remove = box.addButton(tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(tr("Keep it"), QMessageBox.ButtonRole.RejectRole)
        remove.setObjectName("removeConsentYes")
        keep.setObjectName("removeConsentNo")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is remove

    def _withdraw(self) -> None:
        selected = self.selected_id()
        if selected is None or self._case is None:
            return
        consent = next((c for c in self._case.consents if c.id == selected), None)
        if consent is None or consent.withdrawn_on is not None:
            return
        try:
            withdraw_consent(consent, self._today())
        except RefusalNotWithdrawn:
            self.error.show_message(tr("A refusal is not withdrawn: if the person now consents, add a new consent."))
            return
        self.error.show_message("")
        self.refresh()
        self.edited.emit()
        self.recorded.emit("consent_withdrawn", consent)
