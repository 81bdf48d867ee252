"""Step 5, Kontroll: what a quality review would flag; each finding leads to its field."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from ibic.completeness import Finding
from ui.messages import shown

FindingRole = Qt.ItemDataRole.UserRole + 20


class CheckPage(QWidget):
    finding_activated = Signal(object)  # Finding
    preview_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkPage")
        self.summary = QLabel(self)
        self.summary.setObjectName("checkSummary")
        self.summary.setWordWrap(True)
        self.listing = QListWidget(self)
        self.listing.setObjectName("findingsList")
        self.listing.setAccessibleName(self.tr("What a quality review would flag"))
        self.listing.setWordWrap(True)
        self.preview_button = QPushButton(self.tr("Preview and print the draft…"), self)
        self.preview_button.setObjectName("previewButton")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.listing, 1)
        layout.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.listing.itemActivated.connect(self._activated)
        self.listing.itemClicked.connect(self._activated)
        self.preview_button.clicked.connect(self.preview_requested)

    def show_findings(self, findings: tuple[Finding, ...]) -> None:
        self.listing.clear()
        for finding in findings:
            item = QListWidgetItem(shown(finding.message), self.listing)
            item.setData(FindingRole, finding)
        if findings:
            self.summary.setText(
                self.tr("%n thing(s) to complete before the draft is final. Choose one to go to the field.", "",
                        len(findings))
            )
        else:
            self.summary.setText(self.tr("Nothing is missing: the draft is complete."))

    def _activated(self, item: QListWidgetItem) -> None:
        finding = item.data(FindingRole)
        if isinstance(finding, Finding):
            self.finding_activated.emit(finding)
