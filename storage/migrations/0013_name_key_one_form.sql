-- s25-odd: people.name_key in one Unicode form (ibic.name_key.search_key: case folded, NFKC), as the case list's
-- search compares. Until now the key was the name case folded as it came; a name mixing both forms ("Å" one
-- character, "ä" as "a" and a combining diaeresis, as some central exports and pastes hold it) matched neither form
-- of a query, so Nytt ärende did not offer that known person. hembesok_search_key is registered by
-- storage.database.run_migrations; only keys that change are written.
UPDATE people SET name_key = hembesok_search_key(full_name) WHERE name_key IS NOT hembesok_search_key(full_name);
