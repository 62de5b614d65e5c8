-- Successful registrations per client address, counted here so every
-- instance sharing the database shares the limit.
CREATE TABLE registrations (
    address       TEXT   NOT NULL,
    registered_at BIGINT NOT NULL
);
CREATE INDEX registrations_by_address ON registrations (address, registered_at);
