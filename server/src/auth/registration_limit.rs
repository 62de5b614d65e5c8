//! At most `registrations_per_hour` successful registrations per client
//! address, counted in the database so every instance shares the count.
//! The address is the connection's peer unless the server is configured to
//! trust a proxy's header (`client_ip_header`): a client can never pick its
//! own address by sending a header.

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

/// The client address a registration is counted under, and whether it may
/// register now. A request guard: it is decided before the body is read.
pub struct RegistrationAllowance {
    address: String,
    refusal: Option<Error>,
    counted: bool,
}

impl RegistrationAllowance {
    /// `Err(RateLimited)` once the address has used up its registrations.
    pub fn check(&mut self) -> Result<()> {
        match self.refusal.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Counts a registration that succeeded.
    pub async fn record(&self, db: &AnyPool) -> Result<()> {
        if self.counted {
            registrations::record(db, &self.address, clock::now()).await?;
        }
        Ok(())
    }

    async fn decide(req: &Request<'_>) -> Result<Self> {
        let limit = req
            .rocket()
            .state::<WooferConfig>()
            .map_or(0, |c| c.registrations_per_hour);
        let address = req
            .client_ip()
            .map_or_else(String::new, |ip| ip.to_string());
        if limit <= 0 {
            return Ok(Self {
                address,
                refusal: None,
                counted: false,
            });
        }
        let db = Db::fetch(req.rocket())
            .ok_or_else(|| Error::internal("counting registrations", "database not attached"))?;
        let now = clock::now();
        let (count, oldest) = registrations::count_since(db, &address, now - WINDOW_SECS).await?;
        let refusal = (count >= limit).then(|| Error::TooManyRegistrations {
            retry_after: oldest.map_or(WINDOW_SECS, |t| t + WINDOW_SECS - now + 1),
        });
        Ok(Self {
            address,
            refusal,
            counted: true,
        })
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for RegistrationAllowance {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        // A fault while counting is the route's to answer, like a refusal.
        Outcome::Success(Self::decide(req).await.unwrap_or_else(|e| Self {
            address: String::new(),
            refusal: Some(e),
            counted: false,
        }))
    }
}
