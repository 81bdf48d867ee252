"""The Rapporter menu: the handläggare's own caseload reported as tables, CSV and PDF (issue 13)."""
