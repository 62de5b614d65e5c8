//! Time as the database keeps it (whole seconds since the epoch) and as the
//! API writes it (RFC 3339, UTC, with `Z`).

use time::macros::format_description;
use time::OffsetDateTime;

pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

pub fn rfc3339(epoch_secs: i64) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    OffsetDateTime::from_unix_timestamp(epoch_secs)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339_is_utc_with_z() {
        assert_eq!(super::rfc3339(1_795_633_445), "2026-11-25T19:04:05Z");
    }
}
