-- The request limits' token buckets, shared by every server process on this database (uvicorn workers, or several
-- servers behind one name): a laptop, an address or an integration has one allowance whichever process it reaches.
-- One row per (scope, key): tokens left at `at` (the database clock, epoch seconds); `full_at` is when the bucket
-- is full again, so a row past it carries no information and may be deleted (limits.py prunes them).
-- UNLOGGED: no WAL, so taking a token costs no disk flush; after a database crash the table is empty and the
-- limits start afresh, which forgives at most one burst per key.
CREATE UNLOGGED TABLE rate_buckets (
    scope    text NOT NULL,
    key      text NOT NULL,
    tokens   double precision NOT NULL,
    at       double precision NOT NULL,
    full_at  double precision NOT NULL,
    allowed  boolean NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX rate_buckets_full ON rate_buckets (scope, full_at);
