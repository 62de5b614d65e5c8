-- Following, likes, replies and the home timeline. Every count a page shows
-- is a column kept by the triggers below, in the same transaction as the
-- change it counts, so a page never counts rows (see docs/timeline.md).

-- No foreign key on reply_to: a reply outlives the woof it answers.
ALTER TABLE woofs ADD COLUMN reply_to BIGINT;
ALTER TABLE woofs ADD COLUMN reply_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE woofs ADD COLUMN like_count BIGINT NOT NULL DEFAULT 0;
CREATE INDEX woofs_by_reply_to ON woofs (reply_to, id) WHERE reply_to IS NOT NULL;

ALTER TABLE users ADD COLUMN woof_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN follower_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN following_count BIGINT NOT NULL DEFAULT 0;
UPDATE users SET woof_count = (SELECT COUNT(*) FROM woofs WHERE woofs.author_id = users.id);

-- The id orders the followers and following lists (most recent first) and
-- is their paging cursor.
CREATE TABLE follows (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    follower_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    UNIQUE (follower_id, followee_id)
);
CREATE INDEX follows_by_followee ON follows (followee_id, id);
CREATE INDEX follows_by_follower ON follows (follower_id, id);

-- The primary key makes a like idempotent under any concurrency.
CREATE TABLE likes (
    woof_id    BIGINT NOT NULL REFERENCES woofs (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (woof_id, user_id)
);
CREATE INDEX likes_by_user ON likes (user_id);

-- Each dog's home timeline, pushed on write: one row per woof a dog sees
-- at home (its own and those of the dogs it follows).
CREATE TABLE timeline (
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    woof_id  BIGINT NOT NULL REFERENCES woofs (id) ON DELETE CASCADE,
    PRIMARY KEY (owner_id, woof_id)
);
CREATE INDEX timeline_by_woof ON timeline (woof_id);
INSERT INTO timeline (owner_id, woof_id) SELECT author_id, id FROM woofs;

-- Each trigger first updates the author's (or followee's) row in users:
-- that row lock orders a post against a follow or unfollow of its author,
-- and every later statement in READ COMMITTED sees what the other one
-- committed, so no woof is missed by the push or by the backfill.
CREATE FUNCTION woof_stored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET woof_count = woof_count + 1 WHERE id = NEW.author_id;
    IF NEW.reply_to IS NOT NULL THEN
        UPDATE woofs SET reply_count = reply_count + 1 WHERE id = NEW.reply_to;
    END IF;
    INSERT INTO timeline (owner_id, woof_id) VALUES (NEW.author_id, NEW.id);
    INSERT INTO timeline (owner_id, woof_id)
        SELECT follower_id, NEW.id FROM follows WHERE followee_id = NEW.author_id;
    RETURN NULL;
END $$;
CREATE TRIGGER woof_stored AFTER INSERT ON woofs
    FOR EACH ROW EXECUTE FUNCTION woof_stored();

CREATE FUNCTION woof_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET woof_count = woof_count - 1 WHERE id = OLD.author_id;
    IF OLD.reply_to IS NOT NULL THEN
        UPDATE woofs SET reply_count = reply_count - 1 WHERE id = OLD.reply_to;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER woof_deleted AFTER DELETE ON woofs
    FOR EACH ROW EXECUTE FUNCTION woof_deleted();

CREATE FUNCTION like_stored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE woofs SET like_count = like_count + 1 WHERE id = NEW.woof_id;
    RETURN NULL;
END $$;
CREATE TRIGGER like_stored AFTER INSERT ON likes
    FOR EACH ROW EXECUTE FUNCTION like_stored();

CREATE FUNCTION like_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE woofs SET like_count = like_count - 1 WHERE id = OLD.woof_id;
    RETURN NULL;
END $$;
CREATE TRIGGER like_deleted AFTER DELETE ON likes
    FOR EACH ROW EXECUTE FUNCTION like_deleted();

-- Following brings the dog's earlier woofs home; unfollowing takes them
-- out. The two users rows are locked lowest id first, so two dogs following
-- each other at once cannot deadlock.
CREATE FUNCTION follow_stored() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.followee_id < NEW.follower_id THEN
        UPDATE users SET follower_count = follower_count + 1 WHERE id = NEW.followee_id;
        UPDATE users SET following_count = following_count + 1 WHERE id = NEW.follower_id;
    ELSE
        UPDATE users SET following_count = following_count + 1 WHERE id = NEW.follower_id;
        UPDATE users SET follower_count = follower_count + 1 WHERE id = NEW.followee_id;
    END IF;
    INSERT INTO timeline (owner_id, woof_id)
        SELECT NEW.follower_id, id FROM woofs WHERE author_id = NEW.followee_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER follow_stored AFTER INSERT ON follows
    FOR EACH ROW EXECUTE FUNCTION follow_stored();

CREATE FUNCTION follow_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.followee_id < OLD.follower_id THEN
        UPDATE users SET follower_count = follower_count - 1 WHERE id = OLD.followee_id;
        UPDATE users SET following_count = following_count - 1 WHERE id = OLD.follower_id;
    ELSE
        UPDATE users SET following_count = following_count - 1 WHERE id = OLD.follower_id;
        UPDATE users SET follower_count = follower_count - 1 WHERE id = OLD.followee_id;
    END IF;
    DELETE FROM timeline WHERE owner_id = OLD.follower_id
        AND woof_id IN (SELECT id FROM woofs WHERE author_id = OLD.followee_id);
    RETURN NULL;
END $$;
CREATE TRIGGER follow_deleted AFTER DELETE ON follows
    FOR EACH ROW EXECUTE FUNCTION follow_deleted();
