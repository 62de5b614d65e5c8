-- Where a dog is logged in: when each session was last used, and with what.
ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
UPDATE sessions SET last_seen_at = created_at;
-- A dog's sessions are listed and ended together.
CREATE INDEX sessions_by_user ON sessions (user_id);
