-- Record documents (~3 KB of JSON each) are compressed by TOAST on every write; pglz made rewriting 500 of them
-- ~50 ms of a push batch, lz4 about half that. Existing values are recompressed as they are next written.
-- A server built without lz4 keeps pglz: slower, same behaviour.
DO $$
BEGIN
    ALTER TABLE records ALTER COLUMN document SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 not available: record documents stay pglz-compressed';
END;
$$;
