-- IT re-admits a device the server already knows (`readmit-device`): a revoked one (revoked under the advice
-- before session 26, "ask IT to revoke it first", its laptop never enrolled), or an active one whose laptop lost its
-- credential (a profile restored from a backup taken before the enrollment). The command issues an enrollment code
-- bound to that device id; until the laptop spends it, the device stays as it is (a revoked device stays revoked).
-- Spending it gives the device a new credential (its old one and every token of it refused from then on) and makes
-- it active. An ordinary code (device_id NULL) never enrolls a known device, and a bound code no other device.
ALTER TABLE enrollment_codes ADD COLUMN device_id text REFERENCES devices(id);

-- IT's trace of each re-admission: which device, in which state, when issued, and when the laptop spent the code or
-- it lapsed unspent (IT ran readmit-device again or revoked the device; its code's expires_at is then -infinity).
-- Never updated except to record those, never deleted.
CREATE TABLE device_readmissions (
    code_hash     text PRIMARY KEY REFERENCES enrollment_codes(code_hash),
    device_id     text NOT NULL REFERENCES devices(id),
    status_before text NOT NULL,
    issued_at     timestamptz NOT NULL DEFAULT now(),
    enrolled_at   timestamptz,
    lapsed_at     timestamptz
);
CREATE INDEX device_readmissions_device ON device_readmissions (device_id);
