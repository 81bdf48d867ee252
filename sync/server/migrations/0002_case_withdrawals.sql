-- A case reassigned away from a handläggare (to a colleague or another unit, or unassigned) must leave that
-- handläggare's laptop too. Each withdrawal takes its seq from the change log's sequence, under the change log's
-- advisory lock, so one pull cursor orders field changes and withdrawals alike and none is skipped.
CREATE TABLE case_withdrawals (
    seq           bigint PRIMARY KEY,
    case_id       text NOT NULL,
    user_id       text NOT NULL REFERENCES users(id),
    withdrawn_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_withdrawals_user ON case_withdrawals (user_id, seq);
