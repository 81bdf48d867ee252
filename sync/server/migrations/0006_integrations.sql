-- Systems beside the server (Lifecare, Treserva, Procapita, Combine) calling /v1/integration/*: one key each,
-- only its hash stored; a revoked key is kept (revoked_at) so that the audit trail can still name it.
CREATE TABLE integrations (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    key_hash    text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    last_seen_at timestamptz
);
