"""Step 1, Ärendet: the person, representatives, consents, how the case arose and what is applied for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ibic.application import ApplicationItem
from ibic.case_actions import received_on_problem
from ibic.cases import ALLOWED_TRANSITIONS, Case, change_status, closed_from, closing, reopened
from ibic.errors import InvalidTransition
from ibic.people import Person
from ibic.personal_number import birth_date_of
from ibic.reference import ReferenceData
from ibic.reopening import reopen_case, reopen_problem
from ibic.vocabulary import Applicant, ApplicationForm, CaseOrigin, CaseStatus, ClosingReason
from storage.repositories.known_people import KnownPerson
from ui.common.binding import Binder
from ui.common.fields import DateField, ErrorLabel, line_edit, text_line
from ui.common.text_area import TextArea
from ui.i18n import language, text_of
from ui.messages import shown
from ui.session import Today
from ui.workspace.closing_dialog import ClosingDialog, ClosingKept, reason_text
from ui.workspace.consent_section import ConsentSection
from ui.workspace.lists import ListEditor
from ui.workspace.person_section import PersonSection, vocabulary_combo

FREE_TEXT = "__free_text__"


class CasePage(QScrollArea):
    edited = Signal()
    closing_typed = Signal()  # the closing question's reason or text changed, or it closed: the drafts learn it

    def __init__(
        self,
        ref: ReferenceData,
        caseworker: str,
        parent: QWidget | None = None,
        holder_of: Callable[[str], KnownPerson | None] | None = None,
        *,
        today: Today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("casePage")
        self.setWidgetResizable(True)
        self._ref, self._caseworker = ref, caseworker
        self._case: Case | None = None
        self._person_shown: Person | None = None  # the case's person: the application's day is refused by the birth
        self._today = today  # read at each change: the page may stay open past midnight
        body = QWidget(self)
        self.setWidget(body)
        self.person = PersonSection(ref, body, holder_of)
        self.consents = ConsentSection(ref, caseworker, body, today=today, born=self._born)
        case_box = self._case_box(body)
        self.items = self._items_editor(body)
        layout = QVBoxLayout(body)
        layout.addWidget(case_box)
        layout.addWidget(self.person)
        layout.addWidget(self.consents)
        layout.addWidget(self.items)
        layout.addStretch(1)
        for source in (self.person.edited, self.consents.edited, self.items.edited):
            source.connect(self.edited)

    def _case_box(self, body: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("The case and the application"), body)
        self.status_label = QLabel(box)
        self.status_label.setObjectName("caseStatus")
        self.status_buttons = QHBoxLayout()
        # When and why the case was closed, or that it was opened again (from its status history).
        self.status_note = QLabel(box)
        self.status_note.setObjectName("caseStatusNote")
        self.status_note.setWordWrap(True)
        self.status_note.setTextFormat(Qt.TextFormat.PlainText)
        self.status_error = ErrorLabel(box)
        self.origin = vocabulary_combo(
            self._ref, "case_origin", list(CaseOrigin), "caseOrigin", self.tr("How the case arose"), box
        )
        self.origin_note = line_edit("caseOriginNote", self.tr("Note on how the case arose"), box)
        self.applicant = vocabulary_combo(
            self._ref, "applicant", list(Applicant), "caseApplicant", self.tr("Applicant"), box
        )
        # First, so the binding shows it for a case no one applied for (from a report: ibic.case_actions); chosen
        # again once the person (or a representative) applies.
        self.applicant.insertItem(0, self.tr("– no application –"), None)
        self.provider = line_edit("chosenProvider", self.tr("Chosen provider (utförare)"), box)
        self.received_on = DateField("applicationReceivedOn", self.tr("Date the application was received"), box)
        self.application_form = vocabulary_combo(
            self._ref,
            "application_form",
            list(ApplicationForm),
            "applicationForm",
            self.tr("Form of the application"),
            box,
        )
        self.signed = QCheckBox(self.tr("The person has signed the application"), box)
        self.signed.setObjectName("applicationSigned")
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label)
        status_row.addLayout(self.status_buttons)
        status_row.addStretch(1)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above their fields at large text
        form.addRow(self.tr("Status"), status_row)
        form.addRow("", self.status_note)
        form.addRow("", self.status_error)
        form.addRow(self.tr("How the case arose"), self.origin)
        form.addRow(self.tr("Note"), self.origin_note)
        form.addRow(self.tr("Applicant"), self.applicant)
        form.addRow(self.tr("Chosen provider"), self.provider)
        form.addRow(self.tr("Application received"), self.received_on)
        form.addRow(self.tr("Form"), self.application_form)
        form.addRow("", self.signed)
        self.binder = Binder(self)
        case, application = self._current, self._application
        self.binder.choice(self.origin, case, "origin")
        self.binder.text(self.origin_note, case, "origin_note")
        self.binder.choice(self.applicant, case, "applicant")
        self.binder.text(self.provider, case, "chosen_provider")
        self.binder.date(self.received_on, application, "received_on", refuse=self._received_on_refusal)
        self.binder.choice(self.application_form, application, "form")
        self.binder.flag(self.signed, application, "signed_by_person")
        self.binder.edited.connect(lambda _a: self.edited.emit())
        return box

    def _items_editor(self, body: QWidget) -> ListEditor:
        form = QWidget(body)
        self.item_insats = QComboBox(form)
        self.item_insats.setObjectName("applicationItemInsats")
        self.item_insats.setAccessibleName(self.tr("What is applied for"))
        for insats in self._ref.insatser:
            self.item_insats.addItem(text_of(insats), insats.id)
        self.item_insats.addItem(self.tr("Something else (free text)"), FREE_TEXT)
        self.item_free_text = text_line("applicationItemFreeText", self.tr("What is applied for, in free text"), form)
        self.item_words = TextArea("applicationItemWords", self.tr("The application in the person's own words"), form)
        rows = QFormLayout(form)
        rows.addRow(self.tr("Service"), self.item_insats)
        rows.addRow(self.tr("Free text"), self.item_free_text)
        rows.addRow(self.tr("In the person's words"), self.item_words)
        return ListEditor(
            self.tr("What is applied for"), "applicationItems", form, self._describe_item, self._build_item, body
        )

    def _describe_item(self, item: ApplicationItem) -> str:
        insats = self._ref.insats(item.insats_id)
        name = text_of(insats) if insats else item.free_text
        if not item.in_persons_words:
            return name
        # Quoted as the language quotes: ”…” in Swedish, as the printed utredning has them (ibic.documents.quoted).
        return self.tr("%1: “%2”").replace("%1", name).replace("%2", item.in_persons_words)

    def _build_item(self) -> ApplicationItem | None:
        insats_id = self.item_insats.currentData()
        free_text = self.item_free_text.text().strip()
        if insats_id == FREE_TEXT and not free_text:
            self.items.error.show_message(self.tr("Describe in free text what is applied for."))
            return None
        built = ApplicationItem(
            insats_id=None if insats_id == FREE_TEXT else insats_id,
            free_text=free_text,
            in_persons_words=self.item_words.text().strip(),
        )
        self.item_free_text.clear()
        self.item_words.clear()
        return built

    def _current(self) -> Case | None:
        return self._case

    def _application(self) -> object | None:
        return None if self._case is None else self._case.application

    def load(self, case: Case, person: Person, today: date) -> None:
        self._case, self._person_shown = case, person
        self.status_error.show_message("")  # the pages are reused: a refusal said on the last case is not this one's
        self.binder.load()
        self.person.load(person)
        self.consents.load(case, today)
        self.items.bind(lambda: case.application.items)
        self._show_status()

    def _received_on_refusal(self, day: date | None) -> str:
        """A day the application cannot have come in on (ahead of today, before the birth) is refused beside the
        field and stays typed."""
        if self._person_shown is None:
            return ""
        problem = received_on_problem(day, born=self._born(), today=self._today())
        return "" if problem is None else shown(problem)

    def _born(self) -> date | None:
        """The shown person's birth as the personnummer reads now (None: none shown, or a number not read)."""
        if self._person_shown is None:
            return None
        return birth_date_of(self._person_shown.personal_number, today=self._today())

    def _show_status(self, had_focus: bool = False) -> None:
        assert self._case is not None
        self.status_label.setText(self._ref.label("case_status", self._case.status.value, language()))
        note = self._status_note()
        self.status_note.setText(note)
        self.status_note.setVisible(bool(note))
        while self.status_buttons.count():
            item = self.status_buttons.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Hidden at once: until deleted it stood first in reading order, so Ctrl+1 focused it and the
                # focus went with it; a button pressed by keyboard hands its focus to the new row.
                had_focus = had_focus or widget.hasFocus()
                widget.hide()
                widget.deleteLater()
        new = []
        for target in sorted(ALLOWED_TRANSITIONS[self._case.status], key=list(CaseStatus).index):
            button = QPushButton(
                self.tr("Change to: %1").replace("%1", self._ref.label("case_status", target.value, language()))
            )
            button.setObjectName(f"status_{target.value}")
            button.clicked.connect(lambda _c=False, t=target: self._change_status(t))
            new.append(button)
        if self._case.status == CaseStatus.CLOSED:  # the closing taken back, not a transition (ibic.reopening)
            button = QPushButton(self.tr("Open the case again"))
            button.setObjectName("reopenCase")
            button.clicked.connect(self._reopen)
            new.append(button)
        for button in new:
            self.status_buttons.addWidget(button)
            # Shown now, not at the event loop's next turn: a hidden button given the focus below did not keep it
            # once the question before it had closed (the window's focus went to its first button).
            if self.isVisible():  # hidden, a page shows its buttons itself (setVisible(False) would keep them hidden)
                button.show()
        if had_focus:
            (new[0] if new else self.origin).setFocus(Qt.FocusReason.OtherFocusReason)

    def _status_note(self) -> str:
        """The closing (when, by whom, why) of a closed case; the reopening of one opened again."""
        assert self._case is not None
        closed = closing(self._case)
        if closed is not None:
            why = reason_text(self._ref, closed) or self.tr("not recorded")
            return self.tr("Closed %1 by %2. Reason: %3").replace("%1", closed.on.isoformat()).replace(
                "%2", closed.by or "–").replace("%3", why)
        pair = reopened(self._case)
        if pair is None:
            return ""
        closed, opened = pair
        why = reason_text(self._ref, closed) or self.tr("not recorded")
        return self.tr("Opened again %1 by %2; it was closed %3 (%4).").replace("%1", opened.on.isoformat()).replace(
            "%2", opened.by or "–").replace("%3", closed.on.isoformat()).replace("%4", why)

    def _change_status(self, target: CaseStatus, kept: ClosingKept | None = None) -> None:
        assert self._case is not None
        # The row's button pressed by keyboard held the focus before the question took it: it goes to the new row.
        focused = QApplication.focusWidget()
        pressed_by_keys = focused is not None and self.isAncestorOf(focused)
        closing_asked = self._closing_asked(kept) if target == CaseStatus.CLOSED else None
        if target == CaseStatus.CLOSED and closing_asked is None:
            if pressed_by_keys and focused is not None:
                focused.setFocus(Qt.FocusReason.OtherFocusReason)  # back where it was, the case as it was
            return  # nothing changed: the page and what is typed on it stay as they were
        reason, note = closing_asked if closing_asked is not None else (None, "")
        try:
            # The day after the question: it may have been open across midnight.
            change_status(self._case, target, self._today(), self._caseworker, reason=reason, note=note)
        except InvalidTransition:
            self.status_error.show_message(
                self.tr("The case cannot get that status yet: a decision must be registered first.")
            )
            return
        self.status_error.show_message("")
        self._show_status(pressed_by_keys)
        self.edited.emit()

    def _closing_asked(self, kept: ClosingKept | None = None) -> tuple[ClosingReason, str] | None:
        """Avslutad asked first, with why (``ClosingDialog``): the reason and its text, or None when the case stays
        open (Esc, "keep it open"; s30-probe: one press closed the case). ``kept``: as a lock closed it."""
        assert self._case is not None
        number = self._case.case_number.strip() or self.tr("without a number")
        dialog = ClosingDialog(self._ref, number, self._ref.rules.deadlines.reopen_within_days, self, kept)
        for changed in (dialog.reasons.itemSelectionChanged, dialog.note.textChanged, dialog.finished):
            changed.connect(self.closing_typed)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            reason = dialog.reason()
            return None if reason is None else (reason, dialog.reason_note())
        finally:
            dialog.deleteLater()

    def open_closing(self) -> ClosingKept | None:
        """The closing question open on screen, as answered so far: a lock closes it, the unlock asks it again."""
        shown = [d for d in self.findChildren(ClosingDialog) if d.isVisible()]
        return shown[-1].kept() if shown else None

    def ask_closing_again(self, kept: ClosingKept) -> None:
        """The closing question a lock closed, asked again with the reason and text as they were (s33: the "Annat"
        typed was lost at every lock), while the case can still be closed (a sync may have closed it meanwhile)."""
        if self._case is not None and CaseStatus.CLOSED in ALLOWED_TRANSITIONS[self._case.status]:
            self._change_status(CaseStatus.CLOSED, kept)

    def _reopen(self) -> None:
        """"Öppna ärendet igen": refused with why (not the handläggare's case, closed too long ago), else asked
        first, then back to the status it was closed from, recorded after the closing."""
        assert self._case is not None
        focused = QApplication.focusWidget()
        pressed_by_keys = focused is not None and self.isAncestorOf(focused)
        within = self._ref.rules.deadlines.reopen_within_days
        problem = reopen_problem(self._case, self._today(), self._caseworker, within)
        if problem is not None:
            self.status_error.show_message(shown(problem))
            return
        if not self._reopening_confirmed():
            if pressed_by_keys and focused is not None:
                focused.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        # Judged again on the day it is recorded: the question may have stood open past midnight, on the last day.
        today = self._today()
        if (problem := reopen_problem(self._case, today, self._caseworker, within)) is not None:
            self.status_error.show_message(shown(problem))
            return
        reopen_case(self._case, today, self._caseworker, within)
        self.status_error.show_message("")
        self._show_status(pressed_by_keys)
        self.edited.emit()

    def _reopening_confirmed(self) -> bool:
        assert self._case is not None
        number = self._case.case_number.strip() or self.tr("without a number")
        target = closed_from(self._case)
        assert target is not None  # reopen_problem said so
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Open the case again?"),
                          self.tr("Open case %1 again?").replace("%1", number), parent=self)
        box.setObjectName("reopenCaseQuestion")
        box.setInformativeText("\n".join((
            self.tr("It gets the status it was closed from: %1.").replace(
                "%1", self._ref.label("case_status", target.value, language())),
            self.tr("Its deadlines and follow-ups are in To do again, as for any open case."),
            self.tr("The closing and its reason stay in the case's history, with this reopening after them."),
        )))
        reopen = box.addButton(self.tr("Open the case again"), QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton(self.tr("Keep it closed"), QMessageBox.ButtonRole.RejectRole)
        reopen.setObjectName("reopenCaseYes")
        keep.setObjectName("reopenCaseNo")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is reopen
