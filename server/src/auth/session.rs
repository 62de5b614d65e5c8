//! Sessions: a random id in a private cookie, naming a row (keyed by the
//! id's hash) in the sessions table, so logout and expiry really end it.

use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::request::{FromRequest, Outcome};
use rocket::Request;
use rocket_db_pools::Database;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use woofer_shared::api::{User, SESSION_COOKIE, USER_AGENT_MAX};
use woofer_shared::rules::is_bidi_control;
use woofer_shared::UserId;

use super::session_cache::SessionCache;
use crate::clock;
use crate::config::WooferConfig;
use crate::db::{Backend, Db};
use crate::error::{Error, Result};
use crate::store::sessions::{self, LiveSession};
use crate::token::{hex, random_hex};

/// A logged-in request: the dog, and the session it came with.
pub struct CurrentSession {
    pub user: User,
    pub token_hash: String,
}

/// Where sessions begin, are found and end: the sessions table, and on
/// SQLite the sessions looked up in the last second ([`SessionCache`]).
/// Every session end that a request asks for passes through here
/// ([`Self::end`], [`Self::end_others`], [`Self::ended_for`]), so that the
/// cache forgets the session at once.
pub struct SessionStore {
    cache: SessionCache,
}

impl SessionStore {
    pub fn new(backend: Backend) -> Self {
        let cache = match backend {
            Backend::Sqlite => SessionCache::on(),
            Backend::Postgres => SessionCache::off(),
        };
        Self { cache }
    }

    /// Opens a new session for `user_id`, noting the client it began with,
    /// and sets its cookie.
    pub async fn open_from(
        &self,
        pool: &AnyPool,
        cookies: &CookieJar<'_>,
        config: &WooferConfig,
        user_id: UserId,
        agent: &ClientAgent,
    ) -> Result<()> {
        // 256 bits from the OS's CSPRNG.
        let token = random_hex(32);
        let now = clock::now();
        let expires_at = now + config.session_lifetime;
        let token_hash = hash_token(&token);
        let agent = agent.0.as_deref();
        sessions::insert(pool, &token_hash, user_id, now, expires_at, agent).await?;
        let expires = time::OffsetDateTime::from_unix_timestamp(expires_at)
            .map_err(|e| Error::internal("session expiry out of range", e))?;
        let cookie = Cookie::build((SESSION_COOKIE, token))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(config.cookie_secure)
            .expires(expires);
        cookies.add_private(cookie);
        Ok(())
    }

    /// Ends the session the request came with, if any, and removes its
    /// cookie: the answer always carries a removal (`Set-Cookie` with an
    /// expiry in the past), with or without a cookie in the request.
    pub async fn close(&self, pool: &AnyPool, cookies: &CookieJar<'_>) -> Result<()> {
        if let Some(cookie) = cookies.get_private(SESSION_COOKIE) {
            self.end(pool, &hash_token(cookie.value())).await?;
        }
        if cookies.get(SESSION_COOKIE).is_some() {
            cookies.remove_private(Cookie::build(SESSION_COOKIE).path("/"));
        } else {
            // Rocket sends a removal only for a cookie the request carried.
            let mut removal = Cookie::build((SESSION_COOKIE, "")).path("/").build();
            removal.make_removal();
            cookies.add(removal);
        }
        Ok(())
    }

    /// Ends one session, named by its token's hash.
    pub async fn end(&self, pool: &AnyPool, token_hash: &str) -> Result<()> {
        sessions::delete(pool, token_hash).await?;
        self.cache.forget(token_hash);
        Ok(())
    }

    /// Ends every session of the dog but `keep`; says how many ended.
    pub async fn end_others(&self, pool: &AnyPool, dog: UserId, keep: &str) -> Result<u64> {
        let ended = sessions::delete_others(pool, dog, keep).await?;
        self.cache.forget_dog(dog);
        Ok(ended)
    }

    /// To be called once some of the dog's sessions have ended in a
    /// transaction of their own (a password change, the account's deletion).
    pub fn ended_for(&self, dog: UserId) {
        self.cache.forget_dog(dog);
    }

    /// The session, if live at `now`: as looked up in the last second, or
    /// from the database.
    async fn find(&self, db: &Db, token_hash: &str, now: i64) -> Result<Option<LiveSession>> {
        if let Some(known) = self.cache.get(token_hash, now) {
            return Ok(Some(known));
        }
        let ticket = self.cache.ticket();
        let found = sessions::find_live(db, token_hash, now).await?;
        if let Some(live) = &found {
            self.cache.keep(ticket, token_hash, live.clone());
        }
        Ok(found)
    }

    /// Writes when the session was last used, at most once a minute.
    async fn seen(&self, db: &Db, session: &LiveSession, token_hash: &str, now: i64) -> Result<()> {
        if now - session.last_seen_at >= LAST_SEEN_STEP {
            sessions::touch(db.writer(), token_hash, now).await?;
            self.cache.seen(token_hash, now);
        }
        Ok(())
    }
}

/// Only the hash is stored: a copy of the sessions table opens no session.
fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// `last_seen_at` is rewritten at most this often (seconds), so keeping it
/// costs one write a minute per session, not one per request.
const LAST_SEEN_STEP: i64 = 60;

/// A session's public id: a hash of the stored hash, so neither the id nor
/// the table can be turned back into the cookie.
pub fn public_id(token_hash: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"woofer public session id\0")
        .chain_update(token_hash.as_bytes())
        .finalize();
    hex(&digest[..16])
}

/// The `User-Agent` a request came with, made inert and short enough to
/// keep: control and bidirectional characters removed, at most
/// `USER_AGENT_MAX` characters, `None` when empty.
pub struct ClientAgent(pub Option<String>);

impl ClientAgent {
    pub fn from_header(raw: Option<&str>) -> Self {
        let clean: String = raw
            .unwrap_or_default()
            .chars()
            .filter(|&c| !c.is_control() && !is_bidi_control(c))
            .take(USER_AGENT_MAX)
            .collect();
        let clean = clean.trim().to_owned();
        Self((!clean.is_empty()).then_some(clean))
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientAgent {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Self::from_header(req.headers().get_one("User-Agent")))
    }
}

/// The session lookup, cached for the request: several guards in one
/// request look the session up once, and the catcher finds a fault here.
struct SessionLookup(Result<CurrentSession>);

async fn authenticate(req: &Request<'_>) -> Result<CurrentSession> {
    let cookies = req.cookies();
    // A tampered cookie, or one sealed with another key, reads as none.
    let Some(cookie) = cookies.get_private(SESSION_COOKIE) else {
        return Err(Error::Unauthenticated);
    };
    let db = Db::fetch(req.rocket())
        .ok_or_else(|| Error::internal("looking up a session", "database not attached"))?;
    let store = req
        .rocket()
        .state::<SessionStore>()
        .ok_or_else(|| Error::internal("looking up a session", "session store not managed"))?;
    let token_hash = hash_token(cookie.value());
    let now = clock::now();
    match store.find(db, &token_hash, now).await? {
        Some(live) => {
            store.seen(db, &live, &token_hash, now).await?;
            Ok(CurrentSession {
                user: live.user,
                token_hash,
            })
        }
        None => {
            cookies.remove_private(Cookie::build(SESSION_COOKIE).path("/"));
            Err(Error::Unauthenticated)
        }
    }
}

/// The session this request was already found to carry, without looking it
/// up (for pages drawn after a refusal, such as error pages).
pub fn looked_up<'r>(req: &'r Request<'_>) -> Option<&'r CurrentSession> {
    let SessionLookup(lookup) = req.local_cache(|| SessionLookup(Err(Error::Unauthenticated)));
    lookup.as_ref().ok()
}

/// The fault the session lookup met in this request, if it met one.
/// Rocket passes only a failed guard's status to the catcher, which asks
/// here for the error itself.
pub fn lookup_fault<'r>(req: &'r Request<'_>) -> Option<&'r Error> {
    // A request that never looked its session up caches "unauthenticated": no fault.
    let SessionLookup(lookup) = req.local_cache(|| SessionLookup(Err(Error::Unauthenticated)));
    lookup.as_ref().err().filter(|e| e.is_fault())
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for &'r CurrentSession {
    type Error = &'r Error;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, &'r Error> {
        let SessionLookup(lookup) = req
            .local_cache_async(async { SessionLookup(authenticate(req).await) })
            .await;
        match lookup {
            Ok(session) => Outcome::Success(session),
            Err(e) => Outcome::Error((e.status(), e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_agent_is_kept_inert_and_short() {
        let hostile = format!("evil\x1b[31m\u{202e}{}", "x".repeat(300));
        let kept = ClientAgent::from_header(Some(&hostile)).0.unwrap();
        assert!(kept.starts_with("evil[31m") && kept.chars().count() == USER_AGENT_MAX);
        assert_eq!(ClientAgent::from_header(Some("  \x07 ")).0, None);
        assert_eq!(ClientAgent::from_header(None).0, None);
    }

    #[test]
    fn a_public_id_is_neither_the_token_nor_its_hash() {
        let token = random_hex(32);
        let hash = hash_token(&token);
        let id = public_id(&hash);
        assert_eq!(id.len(), 32);
        assert!(!token.contains(&id) && !hash.contains(&id));
        assert_eq!(id, public_id(&hash), "stable");
    }
}
