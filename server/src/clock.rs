//! Time as the database keeps it (whole seconds since the epoch).

use time::OffsetDateTime;
use woofer_shared::Timestamp;

pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// A stored time as the API writes it.
pub fn timestamp(epoch_secs: i64) -> Timestamp {
    Timestamp::from_unix(epoch_secs)
}
