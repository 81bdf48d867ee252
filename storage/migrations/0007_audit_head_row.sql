-- Issue 14, keystroke to durable: every save wrote the audit head (last seq and hash) and the save count into
-- `meta`, a page of its own besides the audit table's last leaf, where the save's entry lands. They move into one
-- row of the audit table, the head row, keyed by the largest seq there is (storage.save_counter.HEAD_SEQ): it sorts
-- after every entry, so the new entry and the head row share the last leaf page and a save writes one page fewer.
-- Readers of entries stop below it. Ordinary entries leave the two new columns NULL.
ALTER TABLE audit ADD COLUMN head_seq INTEGER;
ALTER TABLE audit ADD COLUMN save_count INTEGER;
INSERT INTO audit (seq, entry_id, at, user_id, device_id, action, case_id, detail, prev_hash, hash, head_seq,
                   save_count)
    VALUES (9223372036854775807, 'head', '', '', '', 'head', NULL, '', '',
            coalesce((SELECT value FROM meta WHERE key = 'audit_head_hash'), ''),
            coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'audit_head_seq'), 0),
            coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'save_count'), 0));
DELETE FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash', 'save_count');
