"""The kartläggning of one IBIC life area."""
