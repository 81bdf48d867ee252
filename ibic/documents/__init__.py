"""Every printed document as a render-neutral outline (``outline.py``): the draft utredning, the uppdrag to the
utförare (``bestallning.py``), the beslutsmeddelande, and the reports' tables (``ibic/reports/outline.py``).

One path prints them all: an outline here → ``ui/printing/pdf_writer.py`` (reportlab) → the preview and Qt's print
dialog. Nothing here knows of PDF or Qt.
"""
