-- A case's life-area assessments (the elements of `investigation.assessments`, ~60 % of a ~3 KB document) are
-- stored in rows of their own, one per element, so that a push editing one life area's text reads, decodes and
-- rewrites that element (~0.5 KB) instead of the whole document: jsonb has no in-place edit, and the records'
-- UPDATE rebuilt and recompressed every touched document (bench/README.md, s20-ibicstore).
--
-- The record's document is the rest of it (`records.document_rest`, where `investigation.assessments` is `[]` when
-- its elements are in rows) with the rows put back in order: read it through `record_documents`, the one place
-- that assembles it. A record with no rows is its `document_rest` as stored, byte for byte.
--
-- The column is renamed, not kept: a server process of the release before this one (still running on another host
-- during an upgrade) reads and writes `records.document`, and a write of it would now bring back a partial list or
-- hide rows. Its statements fail instead (500; the laptop sends again, nothing is lost), as docs/deployment.md says
-- of an old process left running after a migration. Renaming rewrites no row.
ALTER TABLE records RENAME COLUMN document TO document_rest;

-- position orders a record's elements (new ones get the record's highest + 1); area_key is the key a path names
-- an element by (ibic.document_paths: its first non-empty string of id, area_id, code), NULL if it has none.
CREATE TABLE record_assessments (
    record_type  text NOT NULL,
    record_id    text NOT NULL,
    position     bigint NOT NULL,
    area_key     text,
    value        jsonb NOT NULL,
    PRIMARY KEY (record_type, record_id, position),
    FOREIGN KEY (record_type, record_id) REFERENCES records(record_type, record_id)
) WITH (fillfactor = 70);  -- an edit of a row rewrites it in place on its page (HOT), as records' (0004)

CREATE FUNCTION assessment_key(element jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(element) = 'object' THEN coalesce(
        CASE WHEN jsonb_typeof(element -> 'id') = 'string' THEN nullif(element ->> 'id', '') END,
        CASE WHEN jsonb_typeof(element -> 'area_id') = 'string' THEN nullif(element ->> 'area_id', '') END,
        CASE WHEN jsonb_typeof(element -> 'code') = 'string' THEN nullif(element ->> 'code', '') END) END
$$;

INSERT INTO record_assessments (record_type, record_id, position, area_key, value)
    SELECT r.record_type, r.record_id, e.position, assessment_key(e.value), e.value
    FROM records r CROSS JOIN LATERAL jsonb_array_elements(r.document_rest #> '{investigation,assessments}')
        WITH ORDINALITY AS e(value, position)
    WHERE jsonb_typeof(r.document_rest #> '{investigation,assessments}') = 'array';

UPDATE records SET document_rest = jsonb_set(document_rest, '{investigation,assessments}', '[]'::jsonb)
    WHERE jsonb_typeof(document_rest #> '{investigation,assessments}') = 'array'
    AND document_rest #> '{investigation,assessments}' <> '[]'::jsonb;

-- Rows exist only where `investigation.assessments` is `[]` in document_rest (the migration and the push keep it
-- so), so jsonb_set puts them back in the same place; a record without rows is returned as stored.
CREATE VIEW record_documents AS
    SELECT r.record_type, r.record_id, r.version, r.created_by_unit, r.updated_at,
        CASE WHEN a.elements IS NULL THEN r.document_rest
        ELSE jsonb_set(r.document_rest, '{investigation,assessments}', a.elements) END AS document
    FROM records r LEFT JOIN LATERAL (
        SELECT jsonb_agg(x.value ORDER BY x.position) AS elements FROM record_assessments x
        WHERE x.record_type = r.record_type AND x.record_id = r.record_id) AS a ON true;
