"""Printing the utredning: outline → PDF in memory → preview, print, save. reportlab loads on first use."""
