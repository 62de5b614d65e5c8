//! "3m", "2h", "5d": how long ago a woof was posted.

use time::OffsetDateTime;
use woofer_shared::Timestamp;

/// `then` relative to `now`; a time in the future reads as now.
pub fn ago(then: Timestamp, now: OffsetDateTime) -> String {
    let secs = (now - then.datetime()).whole_seconds().max(0);
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

    fn at(text: &str) -> Timestamp {
        serde_json::from_value(serde_json::Value::String(text.into())).unwrap()
    }

    #[test]
    fn units_grow_with_age() {
        let now = datetime!(2026-11-25 19:04:05 UTC);
        assert_eq!(ago(at("2026-11-25T19:04:00Z"), now), "5s");
        assert_eq!(ago(at("2026-11-25T19:01:05Z"), now), "3m");
        assert_eq!(ago(at("2026-11-25T17:04:05Z"), now), "2h");
        assert_eq!(ago(at("2026-11-20T19:04:05Z"), now), "5d");
        assert_eq!(ago(at("2024-11-20T19:04:05Z"), now), "2y");
        assert_eq!(ago(at("2026-11-25T19:04:05.5Z"), now), "0s");
        assert_eq!(ago(at("2026-11-25T19:05:05Z"), now), "0s");
    }
}
