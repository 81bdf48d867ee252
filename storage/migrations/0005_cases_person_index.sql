-- Going back to the case list after a person's save reads every case of that person again
-- (storage.repositories.cases.CaseRepository.summaries_of): without an index on person_id that scanned every case
-- (50,000 on the UI thread). The index is small beside the documents.
CREATE INDEX IF NOT EXISTS cases_person ON cases (person_id);
