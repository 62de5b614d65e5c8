//! What a dog does, written once for both faces of the server: the JSON
//! API (`routes/`) and the web pages (`web/`). Each action applies the
//! shared rules and answers with the one [`Error`] type; how the answer is
//! shown (JSON or a page) is the face's business.

use rocket::http::CookieJar;
use sqlx::AnyPool;
use woofer_shared::api::{Credentials, Profile, ReplyPage, Session, User, Woof};
use woofer_shared::ids::parse_positive;
use woofer_shared::{Password, UserId, Username, ValueError, WoofBody, WoofId};

use crate::auth::session::public_id;
use crate::auth::{CurrentSession, Login, PasswordHasher, SessionStore};
use crate::clock;
use crate::db::Writer;
use crate::error::{Error, Result};
use crate::store::users::{self, Inserted};
use crate::store::woofs;
use crate::store::{follows, likes, sessions};
use crate::stream::{Event, Hub};

pub const NO_SUCH_WOOF: Error = Error::NotFound("there is no woof with that id");
pub const NO_SUCH_DOG: Error = Error::NotFound("there is no dog by that name");
pub const NO_SUCH_SESSION: Error = Error::NotFound("you have no session with that id");
pub const NOT_YOUR_WOOF: Error =
    Error::Forbidden("that woof is another dog's; you can only delete your own");

/// A new dog, if the name and password pass the rules and the name is free.
/// The caller logs it in.
pub async fn register(
    db: &AnyPool,
    hasher: &PasswordHasher,
    credentials: &Credentials,
) -> Result<User> {
    let username = Username::parse(&credentials.username)?;
    let password = Password::parse(&credentials.password)?;
    // Cheap check first, so a taken name does not cost a hash; the UNIQUE
    // constraint below still settles a race.
    if users::find(db, username.as_str()).await?.is_some() {
        return Err(Error::UsernameTaken);
    }
    let hash = hasher.hash(&password).await?;
    match users::insert(db, &username, &hash, clock::now()).await? {
        Inserted::New(user) => Ok(user),
        Inserted::Taken => Err(Error::UsernameTaken),
    }
}

/// A new password for the dog of `session`, if it passes the rule
/// (a refusal on the field `new_password`) and `current` is the dog's
/// password (checked by the login service: throttled, and a wrong one
/// counts as a failed login). Every other session of the dog ends.
pub async fn change_password(
    db: &AnyPool,
    store: &SessionStore,
    login: &Login,
    hasher: &PasswordHasher,
    session: &CurrentSession,
    current: &str,
    new: &str,
) -> Result<()> {
    // The contract's order: the new password's rule, then the lock, then
    // the current password.
    let new_password =
        Password::parse(new).map_err(|e| ValueError::new("new_password", e.message))?;
    login.verify_dog(db, session.user.id, current).await?;
    let hash = hasher.hash(&new_password).await?;
    users::change_password(db, session.user.id, &hash, &session.token_hash).await?;
    store.ended_for(session.user.id);
    Ok(())
}

/// How many of a deleted account's woofs, newest first, the live streams
/// are told of: the ones on screens. More would overrun the broadcast line
/// and drop every listener; a client learns of the rest when it next loads
/// a page, as of any deletion made while it was away.
pub const ACCOUNT_WOOF_DELETIONS_ANNOUNCED: usize = 100;

/// Deletes the dog of `session` with its woofs and sessions, if `password`
/// is its password (checked as [`change_password`] checks it), and tells
/// the live streams its newest woofs are gone. The caller removes the
/// session cookie.
pub async fn delete_account(
    db: &AnyPool,
    store: &SessionStore,
    hub: &Hub,
    login: &Login,
    session: &CurrentSession,
    password: &str,
) -> Result<()> {
    let user = login.verify_dog(db, session.user.id, password).await?;
    let mut woofs = users::delete(db, &user).await?;
    store.ended_for(user.id);
    woofs.sort_unstable_by(|a, b| b.cmp(a));
    for id in woofs.into_iter().take(ACCOUNT_WOOF_DELETIONS_ANNOUNCED) {
        hub.publish(db, Event::Deleted { id }).await;
    }
    Ok(())
}

/// The dog a name in a path names, matched case-insensitively.
pub async fn find_dog(db: &AnyPool, raw: &str) -> Result<User> {
    users::find(db, path_name(raw)?.as_str())
        .await?
        .ok_or(NO_SUCH_DOG)
}

/// A name in a path, matched case-insensitively and only so: a path is not
/// typed input, so ` rex` (spaces and all) names no dog. A name that breaks
/// the rule names none either, and is never looked up (PostgreSQL cannot
/// even hold some: one with a NUL was a 500).
fn path_name(raw: &str) -> Result<Username> {
    Username::parse(raw)
        .ok()
        .filter(|name| name.as_str().eq_ignore_ascii_case(raw))
        .ok_or(NO_SUCH_DOG)
}

/// Stores a woof by `author`, if its body passes the woof rule and the
/// woof it answers, if any, exists, and tells the live streams.
pub async fn post_woof(
    db: &Writer,
    hub: &Hub,
    author: &User,
    raw_body: &str,
    reply_to: Option<WoofId>,
) -> Result<Woof> {
    let body = WoofBody::parse(raw_body)?;
    if let Some(parent) = reply_to {
        if parent.0 <= 0 || !woofs::exists(db, parent).await? {
            return Err(
                ValueError::new("reply_to", "there is no woof with that id to reply to").into(),
            );
        }
    }
    let at_commit = hub.at_commit();
    let told_at_commit = at_commit.is_some();
    let woof = woofs::insert(
        db,
        author.id,
        &author.username,
        body.as_str(),
        reply_to,
        clock::now(),
        at_commit,
    )
    .await?;
    if !told_at_commit {
        hub.publish(db, Event::woof(&woof)).await;
    }
    Ok(woof)
}

/// The direct replies to a woof that exists, oldest first.
pub async fn replies(
    db: &AnyPool,
    reader: UserId,
    parent: WoofId,
    after: Option<WoofId>,
    limit: u32,
) -> Result<ReplyPage> {
    if !woofs::exists(db, parent).await? {
        return Err(NO_SUCH_WOOF);
    }
    Ok(woofs::replies(db, reader, parent, after, limit).await?)
}

/// Likes (`true`) or stops liking a woof that exists; idempotent.
pub async fn like(db: &Writer, dog: UserId, woof: WoofId, liked: bool) -> Result<()> {
    let exists = if liked {
        likes::like(db, dog, woof, clock::now()).await?
    } else {
        likes::unlike(db, dog, woof).await?;
        woofs::exists(db, woof).await?
    };
    if exists {
        Ok(())
    } else {
        Err(NO_SUCH_WOOF)
    }
}

/// `follower` follows (`true`) or stops following the dog named `raw`;
/// idempotent. A dog cannot follow itself.
pub async fn follow(db: &AnyPool, follower: &User, raw: &str, follows: bool) -> Result<()> {
    let followee = find_dog(db, raw).await?;
    if follows {
        if followee.id == follower.id {
            return Err(ValueError::new("username", "a dog cannot follow itself").into());
        }
        follows::follow(db, follower.id, followee.id, clock::now()).await?;
    } else {
        follows::unfollow(db, follower.id, followee.id).await?;
    }
    Ok(())
}

/// The profile of the dog named `raw`, as `viewer` sees it.
pub async fn profile(db: &AnyPool, viewer: UserId, raw: &str) -> Result<Profile> {
    users::profile(db, viewer, path_name(raw)?.as_str())
        .await?
        .ok_or(NO_SUCH_DOG)
}

/// Ids in paths are read by hand: anything but a positive number in
/// plain digits is simply no woof.
pub fn woof_id(raw: &str) -> Result<WoofId> {
    parse_positive(raw).map(WoofId).ok_or(NO_SUCH_WOOF)
}

/// The woof and whether `reader` wrote it.
pub async fn read_woof(db: &AnyPool, id: WoofId, reader: UserId) -> Result<(Woof, bool)> {
    let (woof, author_id) = woofs::find(db, reader, id).await?.ok_or(NO_SUCH_WOOF)?;
    Ok((woof, author_id == reader))
}

/// The woof, if it is `dog`'s own to delete.
pub async fn own_woof(db: &AnyPool, id: WoofId, dog: UserId) -> Result<Woof> {
    match read_woof(db, id, dog).await? {
        (woof, true) => Ok(woof),
        (_, false) => Err(NOT_YOUR_WOOF),
    }
}

/// Deletes the woof if it is `dog`'s own, and tells the live streams.
pub async fn delete_woof(db: &AnyPool, hub: &Hub, id: WoofId, dog: UserId) -> Result<()> {
    own_woof(db, id, dog).await?;
    woofs::delete(db, id).await?;
    hub.publish(db, Event::Deleted { id }).await;
    Ok(())
}

/// The dog's live sessions, newest first, the asking one marked.
pub async fn sessions(db: &AnyPool, asking: &CurrentSession) -> Result<Vec<Session>> {
    let rows = sessions::list(db, asking.user.id, clock::now()).await?;
    Ok(rows
        .into_iter()
        .map(|row| Session {
            id: public_id(&row.token_hash),
            current: row.token_hash == asking.token_hash,
            created_at: clock::timestamp(row.created_at),
            last_seen_at: clock::timestamp(row.last_seen_at),
            user_agent: row.user_agent,
        })
        .collect())
}

/// Which session [`end_session`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The one that asked: a logout, its cookie removed.
    This,
    Another,
}

/// Ends the dog's session with public id `id`. Only the dog's own sessions
/// are searched: another dog's id is simply none.
pub async fn end_session(
    db: &AnyPool,
    store: &SessionStore,
    cookies: &CookieJar<'_>,
    asking: &CurrentSession,
    id: &str,
) -> Result<Ended> {
    let rows = sessions::list(db, asking.user.id, clock::now()).await?;
    let row = rows
        .iter()
        .find(|row| public_id(&row.token_hash) == id)
        .ok_or(NO_SUCH_SESSION)?;
    if row.token_hash == asking.token_hash {
        store.close(db, cookies).await?;
        return Ok(Ended::This);
    }
    store.end(db, &row.token_hash).await?;
    Ok(Ended::Another)
}
