-- What a user may do beside syncing their cases: read the reports of their own unit (samordnare, enhetschef) or of
-- the whole municipality. Checked on every request, so a role taken away stops working at once.
ALTER TABLE users ADD COLUMN role text NOT NULL DEFAULT 'handlaggare'
    CHECK (role IN ('handlaggare', 'unit_reports', 'municipal_reports'));
