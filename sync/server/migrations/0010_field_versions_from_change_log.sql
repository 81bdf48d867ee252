-- The version at which each field path last changed, and by which device, was a row of its own per record and path,
-- upserted with every applied op: it is the newest change-log row of a pushed op at that path (the conflict check
-- reads those rows, push_service._READ_STATE), so the table and its index entries are no longer written.
-- Every field version was written with its op's change-log row (since 0001), hashed since 0009: nothing is lost.
DROP TABLE field_versions;
