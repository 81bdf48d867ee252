"""The Hembesök domain: people, cases, IBIC kartläggning, decisions and follow-up.

Plain Python and pydantic only. No Qt, no SQL, no HTTP, no PDF library: every rule of
biståndshandläggning lives here as a function a test can call without a window or a database.
"""

__version__ = "0.1.0"
