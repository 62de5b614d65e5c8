-- A registration now claims its place before it is judged and gives it back
-- when it fails, so a parallel burst cannot pass the limit: the place needs
-- an id. SQLite cannot add a primary key to a table, so it is rebuilt.
CREATE TABLE registrations_with_ids (
    id            INTEGER PRIMARY KEY,
    address       TEXT   NOT NULL,
    registered_at BIGINT NOT NULL
);
INSERT INTO registrations_with_ids (address, registered_at)
    SELECT address, registered_at FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_with_ids RENAME TO registrations;
CREATE INDEX registrations_by_address ON registrations (address, registered_at);
