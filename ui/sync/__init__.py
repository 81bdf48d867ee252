"""Sync in the window: the status-bar widget and the conflict dialog (wired into the main window by ui/)."""
