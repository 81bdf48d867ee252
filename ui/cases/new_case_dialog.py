"""Creating a case from an aktualisering: the person, how the case arose, who applied."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ibic.case_actions import new_case
from ibic.cases import Case
from ibic.errors import InvalidPersonalNumber
from ibic.people import Person
from ibic.personal_number import parse_personal_number
from ibic.reference import ReferenceData
from ibic.vocabulary import Applicant, CaseOrigin, Sex
from ui.common.fields import DateField, ErrorLabel, line_edit
from ui.errors import personal_number_message
from ui.i18n import language


class NewCaseDialog(QDialog):
    """Asks for what a new case needs; refuses bad input with a Swedish message and keeps every field's text."""

    def __init__(
        self, ref: ReferenceData, caseworker: str, unit: str, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newCaseDialog")
        self.setWindowTitle(self.tr("New case"))
        self._ref, self._caseworker, self._unit, self._today = ref, caseworker, unit, today
        self.result_case: Case | None = None
        self.result_person: Person | None = None
        self.given_name = line_edit("givenName", self.tr("Given name"), self)
        self.family_name = line_edit("familyName", self.tr("Family name"), self)
        self.personal_number = line_edit("personalNumber", self.tr("Personal identity number"), self)
        self.personal_number.setPlaceholderText(self.tr("YYYYMMDD-NNNN"))
        self.personal_number_error = ErrorLabel(self)
        self.sex = self._combo("sex", self.tr("Sex"), "sex", list(Sex))
        self.origin = self._combo("origin", self.tr("How the case arose"), "case_origin", list(CaseOrigin))
        self.applicant = self._combo("applicant", self.tr("Applicant"), "applicant", list(Applicant))
        self.opened_on = DateField("openedOn", self.tr("Date the case arose"), self)
        self.opened_on.set_date(today)
        self.name_error = ErrorLabel(self)
        form = QFormLayout()
        form.addRow(self.tr("Given name"), self.given_name)
        form.addRow(self.tr("Family name"), self.family_name)
        form.addRow("", self.name_error)
        form.addRow(self.tr("Personal identity number"), self.personal_number)
        form.addRow("", self.personal_number_error)
        form.addRow(self.tr("Sex"), self.sex)
        form.addRow(self.tr("How the case arose"), self.origin)
        form.addRow(self.tr("Applicant"), self.applicant)
        form.addRow(self.tr("Date the case arose"), self.opened_on)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.setObjectName("newCaseButtons")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Only the person, a god man/förvaltare or a holder of a lasting power of attorney "
                "can apply. A report from someone else first needs the person's own wish."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _combo(self, name: str, accessible: str, vocabulary: str, values: list[object]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        for value in values:
            combo.addItem(self._ref.label(vocabulary, str(value), language()), value)
        return combo

    def draft(self) -> dict[str, str]:
        """What is typed so far, so an idle lock can close the dialog without losing it (kept in memory only)."""
        return {
            "given": self.given_name.text(),
            "family": self.family_name.text(),
            "number": self.personal_number.text(),
            "opened": self.opened_on.edit.text(),
            "sex": str(self.sex.currentIndex()),
            "origin": str(self.origin.currentIndex()),
            "applicant": str(self.applicant.currentIndex()),
        }

    def restore(self, draft: dict[str, str]) -> None:
        self.given_name.setText(draft["given"])
        self.family_name.setText(draft["family"])
        self.personal_number.setText(draft["number"])
        self.opened_on.edit.setText(draft["opened"])
        for combo, key in ((self.sex, "sex"), (self.origin, "origin"), (self.applicant, "applicant")):
            combo.setCurrentIndex(int(draft[key]))

    def _accept(self) -> None:
        ok = True
        if not self.given_name.text().strip() or not self.family_name.text().strip():
            self.name_error.show_message(self.tr("Enter both given name and family name."))
            ok = False
        else:
            self.name_error.show_message("")
        try:
            number = parse_personal_number(self.personal_number.text())
            self.personal_number_error.show_message("")
        except InvalidPersonalNumber as error:
            self.personal_number_error.show_message(personal_number_message(error.kind))
            ok = False
        if not self.opened_on.is_valid() or self.opened_on.value() is None:
            self.opened_on.show_error(self.tr("Enter a real date as YYYY-MM-DD."))
            ok = False
        if not ok:
            return
        opened = self.opened_on.value() or self._today
        person = Person(
            given_name=self.given_name.text().strip(),
            family_name=self.family_name.text().strip(),
            personal_number=number.digits,
            sex=self.sex.currentData(),
        )
        self.result_person = person
        self.result_case = new_case(
            person,
            origin=self.origin.currentData(),
            applicant=self.applicant.currentData(),
            opened_on=opened,
            caseworker=self._caseworker,
            unit=self._unit,
        )
        self.accept()
