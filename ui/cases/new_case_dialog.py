"""Creating a case from an aktualisering: the person, how the case arose, who applied."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol

from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ibic.case_actions import applicant_for, new_case, opened_on_problem
from ibic.cases import Case
from ibic.errors import InvalidPersonalNumber
from ibic.held_elsewhere import held_elsewhere
from ibic.name_rules import NAME_BLANK, name_problem
from ibic.people import Person, sex_from_personal_number
from ibic.personal_number import PersonalNumber, parse_personal_number
from ibic.reference import ReferenceData
from ibic.vocabulary import Applicant, CaseOrigin, Sex
from storage.repositories.cases import held_in
from storage.repositories.known_people import KnownPerson
from ui.common.binding import validation_message
from ui.common.fields import DateField, ErrorLabel, line_edit
from ui.common.screen_fit import resize_within_screen, screen_room
from ui.errors import personal_number_message
from ui.i18n import language
from ui.messages import shown

if TYPE_CHECKING:
    from ui.cases.new_case_draft import NewCaseDraftKeeper


class KnownPeopleOnDay(Protocol):
    """People already on this laptop (created here or received by sync), their decisions in force those of one
    day, each case's read once for all the dialog's searches (``PersonRepository.searching``)."""

    def find(self, text: str, limit: int = 20) -> list[KnownPerson]: ...

    def holder_of(self, personal_number: str) -> KnownPerson | None: ...


class KnownPeople(Protocol):
    """What the dialog asks of the store: people already on this laptop, and a person's record."""

    def searching(self, today: date) -> KnownPeopleOnDay: ...

    def load(self, record_id: str) -> Person: ...


class NewCaseDialog(QDialog):
    """Asks for what a new case needs; refuses bad input with a Swedish message and keeps every field's text."""

    edited = Signal()  # a field typed or chosen: what the draft keeps changed (ui.cases.new_case_draft)

    def __init__(
        self,
        ref: ReferenceData,
        caseworker: str,
        unit: str,
        today: date,
        people: KnownPeople,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newCaseDialog")
        self.setWindowTitle(self.tr("New case"))
        self._ref, self._caseworker, self._unit, self._today = ref, caseworker, unit, today
        self._people = people
        # The decisions in force said of each person found are those of the day the dialog opened (the session's):
        # the stored ones may be of yesterday, where the window stayed unlocked past midnight (s29-look). Read once
        # a case for the dialog, not at every key typed in the search.
        self._known = people.searching(today)
        self._chosen: KnownPerson | None = None
        self._sex_chosen = False  # the handläggare chose Kön: the number typed no longer sets it
        self.result_case: Case | None = None
        self.result_person: Person | None = None
        self.open_case_id: str | None = None  # set when the handläggare chose to open a known person's case
        self.keeper: NewCaseDraftKeeper | None = None  # keeps the typed text in the profile (set by the window)
        self.restored_note = QLabel(self.tr("What you had typed for a new case that was not created has been "
                                            "restored. Check it, then OK creates the case; Cancel forgets it."), self)
        self.restored_note.setObjectName("newCaseRestoredNote")
        self.restored_note.setWordWrap(True)
        self.restored_note.hide()
        # Created first: the search is first in the tab order, where typing starts.
        self.search = line_edit("personSearch", self.tr("Search people already known (name or personnummer)"), self)
        self.search.setPlaceholderText(self.tr("Search by name or personnummer"))
        self.matches = QListWidget(self)
        self.matches.setObjectName("knownPeople")
        self.matches.setAccessibleName(self.tr("People already known"))
        # A match wider than the list is elided, its whole text the tooltip: at 20 pt "… · 2 ären" was cut off at the
        # edge and the list scrolled sideways (s29-look).
        self.matches.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matches.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.matches.hide()
        self.known_note = QLabel(self)
        self.known_note.setObjectName("knownPersonNote")
        self.known_note.setWordWrap(True)
        self.known_note.hide()
        self.open_existing = QPushButton(self.tr("Open their case"), self)
        self.open_existing.setObjectName("openExistingCase")
        self.open_existing.hide()
        self.given_name = line_edit("givenName", self.tr("Given name"), self)
        self.family_name = line_edit("familyName", self.tr("Family name"), self)
        self.personal_number = line_edit("personalNumber", self.tr("Personal identity number"), self)
        self.personal_number.setPlaceholderText(self.tr("YYYYMMDD-NNNN"))
        self.personal_number_error = ErrorLabel(self)
        self.sex = self._combo("sex", self.tr("Sex"), "sex", list(Sex))
        self.origin = self._combo("origin", self.tr("How the case arose"), "case_origin", list(CaseOrigin))
        self.applicant = self._combo("applicant", self.tr("Applicant"), "applicant", list(Applicant))
        self.applicant.insertItem(0, self.tr("– no application –"), None)  # a case from a report: no one applied
        self._implied: Applicant | None = self.applicant.currentData()  # what the last origin implied
        self._follow_origin()
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
        # Everything but OK and Avbryt scrolls: at 20 pt a known person's note, the restored note and two messages
        # under fields made the dialog 741 px high, its buttons below a 768-px screen's edge and the fields squeezed
        # to slivers (s30-look).
        self.content = QWidget(self)
        self.content.setObjectName("newCaseContent")
        self.form_area = QScrollArea(self)
        self.form_area.setObjectName("newCaseScroll")
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QFrame.Shape.NoFrame)
        self.form_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(
            self.tr(
                "Only the person, a god man/förvaltare or a holder of a lasting power of attorney "
                "can apply. A report from someone else first needs the person's own wish."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.restored_note)
        layout.addWidget(self.search)
        layout.addWidget(self.matches)
        layout.addWidget(self.known_note)
        layout.addWidget(self.open_existing)
        layout.addLayout(form)
        layout.addStretch(1)
        self.form_area.setWidget(self.content)
        # As wide as the form needs (no sideways scrolling), however low the dialog is made.
        self.form_area.setMinimumWidth(self.content.minimumSizeHint().width()
                                    + self.form_area.verticalScrollBar().sizeHint().width())
        self.buttons = buttons
        outer = QVBoxLayout(self)
        outer.addWidget(self.form_area, 1)
        outer.addWidget(buttons)
        # A message under a field lengthens the form: the dialog grows to show it where the screen has room.
        ErrorLabel.listen(self._message_changed)
        self.search.textEdited.connect(self._search)
        self.search.installEventFilter(self)
        self.matches.installEventFilter(self)
        self.matches.itemDoubleClicked.connect(lambda item: self._choose(item.data(Qt.ItemDataRole.UserRole)))
        self.open_existing.clicked.connect(self._open_existing)
        for edit in (self.given_name, self.family_name, self.personal_number, self.opened_on.edit):
            edit.textEdited.connect(self.edited)
        for combo in (self.sex, self.origin, self.applicant):
            combo.activated.connect(self.edited)
        self.personal_number.textEdited.connect(self._follow_number)
        self.sex.activated.connect(self._choose_sex)
        self.origin.currentIndexChanged.connect(self._follow_origin)

    # --- known people -------------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down or Enter in the search field moves to the matches, so the search is usable by keyboard alone."""
        if not (isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress):
            return super().eventFilter(watched, event)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.search and (enter or event.key() == Qt.Key.Key_Down) and self.matches.count():
            self.matches.setFocus()
            self.matches.setCurrentRow(0)
            return True
        if watched is self.matches and enter and self.matches.currentItem() is not None:
            # Taken here: passed on, Enter would also press OK and start a case before the choice is seen.
            self._choose(self.matches.currentItem().data(Qt.ItemDataRole.UserRole))
            return True
        return super().eventFilter(watched, event)

    def _search(self, text: str) -> None:
        self._release()
        self.matches.clear()
        found = self._known.find(text) if len(text.strip()) >= 2 else []  # for the dialog's day (``_known``)
        for known in found:
            count = len(known.cases)
            cases = self.tr("%n case(s)", "", count)
            label = f"{self._named(known)} · {PersonalNumber(known.personal_number).masked()} · {cases}"
            item = QListWidgetItem(label, self.matches)
            item.setToolTip(label)
            item.setData(Qt.ItemDataRole.UserRole, known)
        # As high as its rows, up to six: held at six lines, one match took the room of six and, the dialog grown to
        # hold it, pushed the form down.
        rows = min(max(len(found), 1), 6)
        self.matches.setFixedHeight(self.matches.sizeHintForRow(0) * rows + 2 * self.matches.frameWidth()
                                    if found else self.fontMetrics().lineSpacing())
        self.matches.setVisible(bool(found))
        self._grow_to_fit()

    def _named(self, known: KnownPerson) -> str:
        """The name as the case list shows it: a demo person is marked fictitious wherever shown (domain notes)."""
        return known.full_name + (self.tr(" (fictitious)") if known.fictitious else "")

    def _choose(self, known: KnownPerson) -> None:
        """A new case for a person already known: their record is used, never a second person."""
        person = self._people.load(known.person_id)
        self._chosen = known
        self.given_name.setText(person.given_name)
        self.family_name.setText(person.family_name)
        self.personal_number.setText(person.number.formatted())
        for field in (self.given_name, self.family_name, self.personal_number):
            field.setReadOnly(True)
        # Their Kön as recorded, shown greyed: the number set here is not typed, and the box kept its first choice
        # ("Kvinna" beside Tolvan's number, s29-look).
        self.sex.setCurrentIndex(max(self.sex.findData(person.sex), 0))
        self.sex.setEnabled(False)
        known_text = self.tr("%1 is already known here. OK starts a new case for them.")
        self.known_note.setText(" ".join([known_text.replace("%1", self._named(known)), *self._held_elsewhere(known)]))
        self.known_note.show()
        self.open_existing.setVisible(bool(known.cases))
        self._grow_to_fit()
        self.personal_number_error.show_message("")
        self.origin.setFocus()
        self.edited.emit()

    @staticmethod
    def _held_elsewhere(known: KnownPerson) -> list[str]:
        """The person's decisions in force and the follow-up proposed of them (seed 001), said before OK."""
        said = held_elsewhere((c.case_number, held_in(c.in_force)) for c in known.cases)
        return [] if said is None else [shown(said)]

    def _release(self) -> None:
        """A new search: the fields may be typed again for a person not yet known."""
        if self._chosen is None:
            return
        self._chosen = None
        for field in (self.given_name, self.family_name, self.personal_number):
            field.setReadOnly(False)
        self.sex.setEnabled(True)
        self.known_note.hide()
        self.open_existing.hide()

    def _follow_number(self, text: str) -> None:
        """Kön as the personnummer says until the handläggare chooses: left at the first choice, "Kvinna", every
        man typed in was stored a woman and counted so in the statistics by women and men (s28-probe)."""
        if self._sex_chosen:
            return
        try:
            number = parse_personal_number(text)
        except InvalidPersonalNumber:
            return
        self.sex.setCurrentIndex(self.sex.findData(sex_from_personal_number(number.digits)))

    def _choose_sex(self) -> None:
        self._sex_chosen = True

    def _open_existing(self) -> None:
        if self._chosen is not None and self._chosen.cases:
            self.open_case_id = self._chosen.cases[0].case_id  # the most recently changed
            self.accept()

    def _follow_origin(self) -> None:
        """The applicant the way the case arose implies (``case_actions.applicant_for``): no one for an orosanmälan,
        the police or unpaid bills; the handläggare may still choose the person or a representative who applies."""
        implied = applicant_for(self.origin.currentData())
        chosen = self.applicant.currentData()
        # Only while the box holds what the last origin implied: a god man chosen, then Telefon corrected to Brev,
        # kept the god man (it went back to "Den enskilde" without a word).
        if self._implied == chosen:
            index = next(i for i in range(self.applicant.count()) if self.applicant.itemData(i) == implied)
            self.applicant.setCurrentIndex(index)
        self._implied = implied

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
            if 0 <= int(draft[key]) < combo.count():  # a draft from a program with other choices keeps the default
                combo.setCurrentIndex(int(draft[key]))

    def say_restored(self) -> None:
        """The stored draft was typed back (``ui.cases.new_case_draft``): said at the top of the dialog."""
        self.restored_note.show()
        self._grow_to_fit()

    def _message_changed(self) -> None:
        if self.isVisible():
            QTimer.singleShot(0, self._grow_to_fit)  # once the label's new text is laid out

    def _grow_to_fit(self) -> None:
        """As high as what is shown now needs at the dialog's width (within the screen; the rest scrolls, OK and
        Avbryt stay below it). A dialog does not grow by itself for a wrapped label's lines: at 16 and 20 pt the
        note of a known person was cut mid-sentence and the form's fields squeezed to slivers (s29-look)."""
        content = self.content.layout()
        outer = self.layout()
        if content is None or outer is None:
            return
        content.activate()
        # The scroll area lays its content out again only as it is resized itself: told of the content's new height.
        QCoreApplication.sendEvent(self.form_area, QEvent(QEvent.Type.LayoutRequest))
        margins = outer.contentsMargins()
        side = margins.left() + margins.right() + self.form_area.verticalScrollBar().sizeHint().width()
        chrome = margins.top() + margins.bottom() + outer.spacing() + self.buttons.sizeHint().height()

        def needed(width: int) -> int:
            if content.hasHeightForWidth():
                return content.totalHeightForWidth(width - side) + chrome
            return content.totalSizeHint().height() + chrome

        room = screen_room(self)
        width = max(self.width(), self.minimumSizeHint().width())
        # Wider where the screen is not high enough: fewer lines of the note (20 pt on a 1366×768 screen).
        while needed(width) > room.height() and width < room.width():
            width = min(width + self.fontMetrics().averageCharWidth() * 10, room.width())
        wanted = QSize(width, needed(width))
        if wanted.width() > self.width() or wanted.height() > self.height():
            resize_within_screen(self, wanted.expandedTo(self.size()))

    def set_aside(self) -> None:
        """A lock or the OS session's end closes the dialog: its text is kept now, and the close does not forget it."""
        if self.keeper is not None:
            self.keeper.set_aside()

    def _accept(self) -> None:
        ok = True
        # The server's rule (``name_problem``): a person named otherwise is refused there with their whole first save.
        problems = {name_problem(field.text().strip()) for field in (self.given_name, self.family_name)} - {""}
        if NAME_BLANK in problems:
            self.name_error.show_message(self.tr("Enter both given name and family name."))
            ok = False
        elif problems:
            self.name_error.show_message(self.tr("A name cannot hold tabs, line breaks or other control characters."))
            ok = False
        else:
            self.name_error.show_message("")
        number: PersonalNumber | None = None
        try:
            number = parse_personal_number(self.personal_number.text())
            self.personal_number_error.show_message("")
        except InvalidPersonalNumber as error:
            self.personal_number_error.show_message(personal_number_message(error.kind))
            ok = False
        opened = self.opened_on.value() if self.opened_on.is_valid() else None
        if opened is None:
            self.opened_on.show_error(self.tr("Enter a real date as YYYY-MM-DD."))
            ok = False
        elif number is not None and (problem := opened_on_problem(opened, born=number.birth_date,
                                                                   today=self._today)) is not None:
            self.opened_on.show_error(shown(problem))
            ok = False
        if not ok or number is None or opened is None:
            return
        if self._chosen is None:
            holder = self._known.holder_of(number.digits)  # as the search: the dialog's day
            if holder is not None:
                # Never a second person on a number: the known person is offered, and nothing typed is lost.
                self._choose(holder)
                self.personal_number_error.show_message(
                    self.tr("This personnummer is already known here. Open their case, or OK for a new case.")
                )
                return
        if self._chosen is not None:
            person = self._people.load(self._chosen.person_id)
        else:
            try:
                person = Person(
                    given_name=self.given_name.text().strip(),
                    family_name=self.family_name.text().strip(),
                    personal_number=number.digits,
                    sex=self.sex.currentData(),
                )
            except ValidationError as error:  # a name longer than the store holds: said, and the dialog stays
                self.name_error.show_message(validation_message(error))
                return
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
