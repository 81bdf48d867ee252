"""The encrypted local store: profile, keys, SQLCipher database, repositories, journal and audit log.

Entry points: ``storage.profile`` (create/unlock/lock), ``storage.errors`` (typed errors), ``storage.sync_state``
(what the sync client uses). See docs/storage.md.
"""
