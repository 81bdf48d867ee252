-- Issue 14, pull: remote_applied was keyed by op id, a random UUID, so the 1,000 rows of a pulled page landed on
-- about as many different leaf pages of a growing table (~400 of ~450 after 38,000 changes), each one encrypted,
-- written to the WAL and fsynced with the page. Keyed by the server's sequence number first, a page's rows are
-- appended side by side at the end. A change is "applied before" when its (seq, op id) pair is here: the server
-- gives every op id exactly one seq (an op id is applied once; the central system's re-logs take new op ids), so
-- this finds what the op id alone found. Every row keeps its values.
CREATE TABLE remote_applied_by_seq (
    seq     INTEGER NOT NULL,
    op_id   TEXT NOT NULL,
    applied INTEGER NOT NULL,
    PRIMARY KEY (seq, op_id)
) WITHOUT ROWID;
INSERT INTO remote_applied_by_seq (seq, op_id, applied) SELECT seq, op_id, applied FROM remote_applied ORDER BY seq;
DROP TABLE remote_applied;
ALTER TABLE remote_applied_by_seq RENAME TO remote_applied;
