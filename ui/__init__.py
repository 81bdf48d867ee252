"""The PySide6 desktop application: windows, forms, item models, printing."""
