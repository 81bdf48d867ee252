-- Systems beside the server (Lifecare, Treserva, Procapita, Combine) calling /v1/integration/*: one key each,
-- only its hash stored; a revoked integration is kept (revoked_at): the server log names the integration of
-- every write, and an id is never given to another system.
CREATE TABLE integrations (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    key_hash    text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    last_seen_at timestamptz
);
