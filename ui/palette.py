"""Colours every text meets WCAG 2.1 AA contrast with (4.5:1), disabled and selected text included.

The Swedish accessibility law for public-sector digital services (lag 2018:1937) refers to WCAG 2.1 AA. Qt's
default palettes grey disabled text out to about 1.6:1 and draw selected rows at about 3.7:1: greyed "ej
aktuellt" fields and selected cases were hard to read at arm's length. Only pairs below the bar are changed,
so a platform's own look is kept wherever it already reads well.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

AA_NORMAL_TEXT = 4.5
# A little above the bar, so rounding in a screen's colour management never takes a pair below it.
_TARGET = 4.7

Group = QPalette.ColorGroup
Role = QPalette.ColorRole
GROUPS = (Group.Active, Group.Inactive, Group.Disabled)
# (text, background) pairs a widget draws text with.
TEXT_PAIRS = (
    (Role.WindowText, Role.Window),
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.ButtonText, Role.Button),
    (Role.PlaceholderText, Role.Base),
    (Role.ToolTipText, Role.ToolTipBase),
)


def relative_luminance(colour: QColor) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2.1's contrast ratio, 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _mixed(colour: QColor, towards: QColor, share: float) -> QColor:
    return QColor.fromRgbF(
        colour.redF() + (towards.redF() - colour.redF()) * share,
        colour.greenF() + (towards.greenF() - colour.greenF()) * share,
        colour.blueF() + (towards.blueF() - colour.blueF()) * share,
    )


def moved_until_readable(moving: QColor, fixed: QColor) -> QColor:
    """``moving`` taken towards black or white (away from ``fixed``) until the pair meets the bar."""
    if contrast_ratio(moving, fixed) >= _TARGET:
        return moving
    towards = QColor("black") if relative_luminance(fixed) > 0.18 else QColor("white")
    for step in range(1, 21):
        candidate = _mixed(moving, towards, step / 20)
        if contrast_ratio(candidate, fixed) >= _TARGET:
            return candidate
    return towards


def accessible_palette(palette: QPalette) -> QPalette:
    """A copy of ``palette`` in which every text colour meets 4.5:1 on the background it is drawn on."""
    # A copy without QPalette(palette): that constructor's overloads make the binding build every enum of Qt's
    # namespace (about 40 ms), before the unlock page, which needs none of them.
    result = palette.__copy__()
    for group in GROUPS:
        for text_role, background_role in TEXT_PAIRS:
            text, background = result.color(group, text_role), result.color(group, background_role)
            result.setColor(group, text_role, moved_until_readable(text, background))
        # A selected row keeps its light text; the selection colour darkens instead, so it still looks selected.
        highlight, text = result.color(group, Role.Highlight), result.color(group, Role.HighlightedText)
        result.setColor(group, Role.Highlight, moved_until_readable(highlight, text))
    return result


def install_accessible_palette(app: QApplication) -> None:
    """Give the whole application the readable palette (called once at start, before any window)."""
    app.setPalette(accessible_palette(app.palette()))
