"""Others' descriptions of a life area, each with its source and the consent it rests on."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ibic.cases import Case
from ibic.consent import Consent, in_force, standing_refusals
from ibic.investigation import LifeAreaAssessment, OtherDescription
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.vocabulary import ConsentRecipient
from ui.common.binding import validation_message
from ui.common.fields import ErrorLabel, text_line
from ui.common.text_area import TextArea
from ui.common.widgets import ignoring_checked
from ui.i18n import language
from ui.session import Today

NO_CONSENT = ""


class OthersEditor(QGroupBox):
    """Adds and removes descriptions from relatives, professionals and others; flags a source without consent."""

    edited = Signal()

    def __init__(self, ref: ReferenceData, parent: QWidget | None = None, *, today: Today) -> None:
        super().__init__(self.tr("Others' descriptions"), parent)
        self._ref = ref
        self.setObjectName("othersEditor")
        self._assessment: LifeAreaAssessment | None = None
        self._consents: dict[str, Consent] = {}
        self._representative_roles: dict[str, str] = {}
        self._person: Person | None = None
        self._prefilled = ("", "")
        self._today = today  # read as a description is added: its recorded_on is the day it is added
        self._refused = False  # the last add of the description typed was refused (leaving would lose it)
        self.listing = QListWidget(self)
        self.listing.setObjectName("othersList")
        self.listing.setAccessibleName(self.tr("Others' descriptions"))
        self.listing.setWordWrap(True)
        self.listing.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.source = QComboBox(self)
        self.source.setObjectName("otherSource")
        self.source.setAccessibleName(self.tr("Source (from the recorded consents)"))
        self.source_name = text_line("otherSourceName", self.tr("Name of the source"), self)
        self.source_name.setPlaceholderText(self.tr("Name of the source"))
        # The role (daughter, district nurse, god man …) is printed in its own column under "Andra källor".
        self.source_role = text_line("otherSourceRole", self.tr("Role of the source"), self)
        self.source_role.setPlaceholderText(self.tr("Role, e.g. daughter or district nurse"))
        self.text = TextArea("otherText", self.tr("What the source says"), self)
        self.warning = ErrorLabel(self)
        # To whom the person said no, and so why no consent to them is offered as a source (secrecy, seed 001).
        self.refusals = QLabel(self)
        self.refusals.setObjectName("otherRefusals")
        self.refusals.setWordWrap(True)
        self.refusals.setStyleSheet("color: #a4000f;")
        self.add_button = QPushButton(self.tr("Add description"), self)
        self.add_button.setObjectName("addOther")
        self.remove_button = QPushButton(self.tr("Remove selected"), self)
        self.remove_button.setObjectName("removeOther")
        row = QHBoxLayout()
        row.addWidget(self.source, 1)
        row.addWidget(self.source_name, 1)
        row.addWidget(self.source_role, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.listing)
        layout.addWidget(QLabel(self.tr("New description"), self))
        layout.addWidget(self.refusals)
        layout.addLayout(row)
        layout.addWidget(self.text)
        layout.addWidget(self.warning)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(ignoring_checked(self._add))
        self.remove_button.clicked.connect(ignoring_checked(self._remove))
        self.source.currentIndexChanged.connect(self._source_changed)

    def load(self, assessment: LifeAreaAssessment, case: Case, person: Person, today: date) -> None:
        self._assessment, self._person = assessment, person
        self.text.clear()  # a description typed in one area or case never shows up in the next
        self._refused = False
        self.source.blockSignals(True)
        self.source.clear()
        self._consents = {c.id: c for c in case.consents}
        self.source_role.clear()
        self._show_refusals(case, today)
        for consent in case.consents:
            if in_force(case.consents, consent, today):  # not one the person said no to since
                self.source.addItem(
                    self.tr("Consent: %1").replace(
                        "%1",
                        consent.recipient_name
                        or self._ref.label("consent_recipient", consent.recipient.value, language()),
                    ),
                    consent.id,
                )
        self._representative_roles.clear()
        for representative in person.representatives:
            self._representative_roles[representative.name] = self._ref.label(
                "representative_kind", representative.kind.value, language()
            )
            self.source.addItem(
                self.tr("Representative: %1").replace("%1", representative.name), f"rep:{representative.name}"
            )
        self.source.addItem(self.tr("Other source (no consent recorded)"), NO_CONSENT)
        self.source.blockSignals(False)
        self._source_changed()
        self._refresh()

    def _show_refusals(self, case: Case, today: date) -> None:
        refused = [f"{self._whom(r)} ({r.given_on.isoformat()})" for r in standing_refusals(case.consents, today)]
        self.refusals.setText(
            self.tr("The person has said no to contact with: %1. Information may not be gathered from them.").replace(
                "%1", ", ".join(refused)) if refused else "")
        self.refusals.setVisible(bool(refused))

    def _whom(self, consent: Consent) -> str:
        kind = self._ref.label("consent_recipient", consent.recipient.value, language())
        return f"{kind} – {consent.recipient_name}" if consent.recipient_name.strip() else kind

    def _source_changed(self) -> None:
        data = self.source.currentData()
        name, role = self._source_facts(data)
        # Replace what the previous choice filled in, never what the handläggare typed.
        for field, value, before in zip(
            (self.source_name, self.source_role), (name, role), self._prefilled, strict=True
        ):
            if field.text() in ("", before):
                field.setText(value)
        self._prefilled = (name, role)
        # A contact relative is offered as a representative, but has no mandate: secrecy applies as to anyone.
        without = data == NO_CONSENT or (isinstance(data, str) and data.startswith("rep:")
                                         and not self._mandated(data[4:], self._today()))
        self.warning.show_message(
            self.tr("There is no consent for this source: secrecy applies. Record a consent on the Case step first.")
            if without
            else ""
        )

    def _source_facts(self, data: object) -> tuple[str, str]:
        """Name and role of a chosen source, as far as the consent or the representative says them."""
        if isinstance(data, str) and data.startswith("rep:"):
            return data[4:], self._representative_roles.get(data[4:], "")
        if isinstance(data, str) and data in self._consents:
            consent = self._consents[data]
            # "Named person" says nothing of the role: the handläggare types it.
            if consent.recipient == ConsentRecipient.NAMED_PERSON:
                return consent.recipient_name, ""
            return consent.recipient_name, self._ref.label("consent_recipient", consent.recipient.value, language())
        return "", ""

    def _mandated(self, name: str, day: date) -> bool:
        return self._person is not None and self._person.has_mandate(name, day)

    def _refresh(self) -> None:
        self.listing.clear()
        assert self._assessment is not None
        for other in self._assessment.others:
            # As Kontroll reads it: a consent chosen, or a representative's mandate on the day it was recorded.
            rests = other.consent_id in self._consents or self._mandated(other.source_name,
                                                                         other.recorded_on or self._today())
            flag = "" if rests else self.tr(" [no consent]")
            # "Name, role", as the utredning prints it: a role in brackets doubled them after a name that has its
            # own ("Dottern Tova (fiktiv) (Dotter)").
            source = ", ".join(part for part in (other.source_name.strip(), other.source_role.strip()) if part)
            item = QListWidgetItem(f"{source}{flag}: {other.text}", self.listing)
            item.setData(256, other.id)

    def _add(self) -> None:
        if self._assessment is None:
            return
        name, text = self.source_name.text().strip(), self.text.text().strip()
        if not name or not text:
            self.warning.show_message(self.tr("Write both who the source is and what they say."))
            self._refused = bool(text)
            return
        data = self.source.currentData()
        consent_id = data if data in self._consents else None
        role = self.source_role.text().strip()
        try:
            other = OtherDescription(
                source_name=name, source_role=role, consent_id=consent_id, text=text, recorded_on=self._today()
            )
        except ValidationError as error:  # a text longer than the store holds: said here, kept in the form
            self.warning.show_message(validation_message(error))
            self._refused = True
            return
        self._refused = False
        self._assessment.others.append(other)
        self.text.clear()
        self._source_changed()
        self._refresh()
        self.edited.emit()

    def has_pending_text(self) -> bool:
        return bool(self.text.text().strip())

    def draft_fields(self) -> list[QLineEdit | QPlainTextEdit]:
        """The fields whose text a draft keeps while a description is not added (``ui.workspace.drafts``)."""
        return [self.text, self.source_name, self.source_role]

    def flush_pending(self) -> None:
        """Add a description that was typed but not added (before a lock, a close, a case or an area switch)."""
        if self.has_pending_text():
            self._add()

    def refused_fields(self) -> list[QWidget]:
        """The description whose add was refused, while it is still typed (leaving the area would lose it), with
        its source's name and role as they stand, empty too: a lock keeps them all, so the unlock's add never
        takes the name a consent fills in instead of the one left out (the question names only those holding
        text)."""
        return [self.text, self.source_name, self.source_role] if self._refused and self.text.text().strip() else []

    def drop_refused(self) -> None:
        """The person chose to leave: the refused description goes, and the source's own notice comes back."""
        if self._refused:
            self.text.clear()
            self._refused = False
            self._source_changed()

    def _remove(self) -> None:
        item = self.listing.currentItem()
        if item is None or self._assessment is None:
            return
        other_id = item.data(256)
        self._assessment.others = [o for o in self._assessment.others if o.id != other_id]
        self._refresh()
        self.edited.emit()
