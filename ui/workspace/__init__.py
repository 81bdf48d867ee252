"""The case workspace: navigator, step pages and autosave."""
