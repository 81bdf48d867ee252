-- What a withdrawn case (and its person) looked like at the withdrawal: late delivery from the previous
-- handläggare's laptop is accepted only for ops based on a version they could have seen.
ALTER TABLE case_withdrawals
    ADD COLUMN case_version   bigint NOT NULL DEFAULT 0,
    ADD COLUMN person_id      text,
    ADD COLUMN person_version bigint NOT NULL DEFAULT 0;
CREATE INDEX case_withdrawals_person ON case_withdrawals (person_id, user_id);
