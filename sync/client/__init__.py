"""The laptop side of sync: push the journal, pull changes, record conflicts."""
