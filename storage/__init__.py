"""The encrypted local store: profile, keys, SQLCipher database, repositories, journal and audit log."""
