-- An applied op was two rows with much the same columns: one in applied_ops (found by op id: a second push of the
-- same op is a duplicate) and one in the change log (found by seq: the pulls). It is now ONE change-log row that
-- also carries what only applied_ops held (the content hash, the user, the hlc), found by op id through a unique
-- index: a heap row and its writing less per op (measured in bench/README.md, "One row per applied op").
-- Rows the server writes itself (a reassigned case sent to its new handläggare, op ids made there) have no
-- content hash: they were never pushed.
ALTER TABLE change_log
    ADD COLUMN content_hash text,
    ADD COLUMN user_id      text,
    ADD COLUMN hlc          text;

-- Every applied op got its change-log row in the same transaction (since 0001), so each applied_ops row has one:
-- duplicates of ops applied before this migration are still answered, and the pull's rows keep their seqs.
UPDATE change_log l SET content_hash = a.content_hash, user_id = a.user_id, hlc = a.hlc
    FROM applied_ops a WHERE a.op_id = l.op_id;

-- The op id index first: the check below then probes it once per applied op. Without it, on tables with no
-- statistics yet (a database just restored from a dump, or after pg_upgrade) the planner chose a nested loop that
-- compared every applied op with every change-log row (2,000 ops: 2 million comparisons; a real server's millions:
-- hours, with the change log locked).
CREATE UNIQUE INDEX change_log_op ON change_log (op_id);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM applied_ops a WHERE NOT EXISTS (SELECT 1 FROM change_log l WHERE l.op_id = a.op_id)) THEN
        RAISE EXCEPTION 'an applied op has no change-log row: not migrated';
    END IF;
END;
$$;

DROP TABLE applied_ops;
