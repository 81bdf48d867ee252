"""The names the uppdrag, the beslutsmeddelande and the uppföljning carry in the shared preview dialog (no personal
data)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ibic.documents.outline import DocumentOutline
from ui.i18n import tr
from ui.printing.preview import AuditCallback, DocumentKind, UtredningPreviewDialog, open_outline_preview


def decision_document_kind(kind: str, draft: bool = True) -> DocumentKind:
    """``draft`` False: a follow-up made, printed as its record (no UTKAST, ``ibic.documents.uppfoljning``)."""
    if kind == "order":
        return DocumentKind(tr("Preview: uppdrag to the provider"), tr("Save the uppdrag as PDF"),
                            "uppdrag-till-utforare.pdf", "uppdrag")
    if kind == "follow_up" and not draft:
        return DocumentKind(tr("Preview: follow-up record"), tr("Save the follow-up record as PDF"),
                            "uppfoljning.pdf", "uppföljning")
    if kind == "follow_up":
        return DocumentKind(tr("Preview: follow-up record (draft)"), tr("Save the follow-up record as PDF"),
                            "uppfoljning-utkast.pdf", "uppföljning")
    return DocumentKind(tr("Preview: beslutsmeddelande (draft)"), tr("Save the beslutsmeddelande as PDF"),
                        "beslutsmeddelande-utkast.pdf", "beslutsmeddelande")


def preview_decision_document(parent: QWidget, kind: str, outline: object, audit: AuditCallback) -> None:
    """The uppdrag and the beslutsmeddelande beside the step; the uppföljning modal, as the utredning's preview (Ärende
    → Förhandsgranska): the record printed is the follow-up as it stands, not one edited behind the preview."""
    assert isinstance(outline, DocumentOutline)
    if kind != "follow_up":
        open_outline_preview(parent, outline, decision_document_kind(kind), audit=audit)
        return
    chosen = decision_document_kind(kind, draft=bool(outline.status))
    UtredningPreviewDialog(outline, audit=audit, parent=parent, kind=chosen).exec()
