//! "3m", "2h", "5d": how long ago a woof was posted.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// `created_at` (RFC 3339) relative to `now`; `?` when unreadable.
pub fn ago(created_at: &str, now: OffsetDateTime) -> String {
    let Ok(then) = OffsetDateTime::parse(created_at, &Rfc3339) else {
        return "?".into();
    };
    let secs = (now - then).whole_seconds().max(0);
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3_599 => format!("{}m", secs / 60),
        3_600..=86_399 => format!("{}h", secs / 3_600),
        86_400..=31_535_999 => format!("{}d", secs / 86_400),
        _ => format!("{}y", secs / 31_536_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn units_grow_with_age() {
        let now = datetime!(2026-11-25 19:04:05 UTC);
        assert_eq!(ago("2026-11-25T19:04:00Z", now), "5s");
        assert_eq!(ago("2026-11-25T19:01:05Z", now), "3m");
        assert_eq!(ago("2026-11-25T17:04:05Z", now), "2h");
        assert_eq!(ago("2026-11-20T19:04:05Z", now), "5d");
        assert_eq!(ago("2024-11-20T19:04:05Z", now), "2y");
        assert_eq!(ago("2026-11-25T19:04:05.5Z", now), "0s");
        assert_eq!(ago("garbage", now), "?");
    }
}
