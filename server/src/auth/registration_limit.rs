//! At most `registrations_per_hour` successful registrations per client
//! address, counted in the database so every instance shares the count.
//! The address is the connection's peer unless the server is configured to
//! trust a proxy's header (`client_ip_header`): a client can never pick its
//! own address by sending a header.
//!
//! A registration claims its place before its request is looked at, in one
//! atomic step (`WindowLog::claim`), and gives it back when it fails: a
//! parallel burst from one address cannot all pass a check made before any
//! of it was recorded.

use rocket::request::{FromRequest, Outcome};
use rocket::Request;
use rocket_db_pools::Database;
use sqlx::AnyPool;

use crate::clock;
use crate::config::WooferConfig;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::store::registrations;

pub const WINDOW_SECS: i64 = 60 * 60;

/// The place a registration holds under its client address's limit, or the
/// refusal when there is none left. A request guard: it is decided before
/// the body is read.
#[must_use = "a failed registration must give its place back with `settle`"]
pub struct RegistrationAllowance {
    refusal: Option<Error>,
    /// The claimed row; `None` when the limit is off.
    claim: Option<i64>,
}

impl RegistrationAllowance {
    /// `Err(RateLimited)` once the address has used up its registrations.
    pub fn check(&mut self) -> Result<()> {
        match self.refusal.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Keeps the place for a registration that succeeded, and gives it back
    /// for one that did not (a taken name, a bad password, a full queue…).
    pub async fn settle(self, db: &AnyPool, registered: bool) -> Result<()> {
        match self.claim {
            Some(id) if !registered => Ok(registrations::LOG.release(db, id).await?),
            _ => Ok(()),
        }
    }

    async fn decide(req: &Request<'_>) -> Result<Self> {
        let limit = req
            .rocket()
            .state::<WooferConfig>()
            .map_or(0, |c| c.registrations_per_hour);
        if limit <= 0 {
            return Ok(Self {
                refusal: None,
                claim: None,
            });
        }
        let address = req
            .client_ip()
            .map_or_else(String::new, |ip| ip.to_string());
        let db = Db::fetch(req.rocket())
            .ok_or_else(|| Error::internal("counting registrations", "database not attached"))?;
        let now = clock::now();
        let since = now - WINDOW_SECS;
        if let Some(id) = registrations::LOG
            .claim(db.writer(), &address, now, since, limit)
            .await?
        {
            return Ok(Self {
                refusal: None,
                claim: Some(id),
            });
        }
        // Places open again when the oldest registration leaves the window.
        let (_, oldest) = registrations::LOG.count_since(db, &address, since).await?;
        Ok(Self {
            refusal: Some(Error::TooManyRegistrations {
                retry_after: oldest.map_or(WINDOW_SECS, |t| t + WINDOW_SECS - now + 1),
            }),
            claim: None,
        })
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for RegistrationAllowance {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        // A fault while counting is the route's to answer, like a refusal.
        Outcome::Success(Self::decide(req).await.unwrap_or_else(|e| Self {
            refusal: Some(e),
            claim: None,
        }))
    }
}
