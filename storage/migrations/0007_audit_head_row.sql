-- Issue 14, keystroke to durable: every save wrote the audit head (last seq and hash) and the save count into
-- `meta`, a page of its own besides the audit table's last leaf, where the save's entry lands. They move into one
-- row of the audit table, the head row, right after the newest entry (storage.save_counter.HEAD_ROW): the next
-- entry takes its place and a new head row is appended after it, both on the last leaf, so a save writes one page
-- fewer. Entries leave the two new columns NULL; the head row is the one whose head_seq is not. Its seq is past
-- every entry and past the head meta recorded, whatever either says.
ALTER TABLE audit ADD COLUMN head_seq INTEGER;
ALTER TABLE audit ADD COLUMN save_count INTEGER;
INSERT INTO audit (seq, entry_id, at, user_id, device_id, action, case_id, detail, prev_hash, hash, head_seq,
                   save_count)
    VALUES (max(coalesce((SELECT max(seq) FROM audit), 0),
                coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'audit_head_seq'), 0)) + 1,
            'head', '', '', '', 'head', NULL, '', '',
            coalesce((SELECT value FROM meta WHERE key = 'audit_head_hash'), ''),
            coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'audit_head_seq'), 0),
            coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'save_count'), 0));
DELETE FROM meta WHERE key IN ('audit_head_seq', 'audit_head_hash', 'save_count');
