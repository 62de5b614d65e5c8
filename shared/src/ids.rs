//! Ids and times as the API carries them, typed so that a woof's id is
//! never passed where a dog's is expected, and a time is parsed once, where
//! it crosses the wire.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::OffsetDateTime;

/// A woof's id: grows with every woof, so it orders the feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WoofId(pub i64);

/// A dog's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

/// Ids in the OpenAPI document: positive 64-bit integers.
#[cfg(feature = "openapi")]
mod openapi {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    use utoipa::openapi::{RefOr, Schema};

    fn positive_id(description: &str) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(1))
            .description(Some(description))
            .into()
    }

    impl utoipa::PartialSchema for super::WoofId {
        fn schema() -> RefOr<Schema> {
            positive_id(
                "A woof's id: a positive integer, written as one (`1.0` and `1e2` are not ids); \
                 a newer woof has a larger one.",
            )
        }
    }

    impl utoipa::ToSchema for super::WoofId {}

    impl utoipa::PartialSchema for super::UserId {
        fn schema() -> RefOr<Schema> {
            positive_id("A dog's id: a positive integer, written as one.")
        }
    }

    impl utoipa::ToSchema for super::UserId {}
}

impl fmt::Display for WoofId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A positive id or count as a URL writes it: plain ASCII digits without a
/// sign or leading zero, fitting in 64 bits. Anything else (`+5`, `05`,
/// `1e3`, ` 5`) is `None`, so one id has one spelling.
pub fn parse_positive(text: &str) -> Option<i64> {
    let canonical = text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0');
    text.parse::<i64>()
        .ok()
        .filter(|_| canonical && !text.is_empty())
}

/// A moment, written as RFC 3339 in UTC with `Z` and whole seconds
/// (`2026-11-25T19:04:05Z`); read from any RFC 3339 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = DateTime))]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Whole seconds since the epoch, as the database keeps them; out of
    /// range reads as the epoch itself.
    pub fn from_unix(secs: i64) -> Self {
        Self(OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH))
    }

    pub fn datetime(self) -> OffsetDateTime {
        self.0
    }

    pub fn unix(self) -> i64 {
        self.0.unix_timestamp()
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(t: OffsetDateTime) -> Self {
        Self(t.to_offset(time::UtcOffset::UTC))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
        match self.0.format(&format) {
            Ok(text) => f.write_str(&text),
            Err(_) => Err(fmt::Error),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        OffsetDateTime::parse(&text, &Rfc3339)
            .map(Self::from)
            .map_err(|e| serde::de::Error::custom(format!("not an RFC 3339 time: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_written_in_utc_with_z_and_read_back() {
        let t = Timestamp::from_unix(1_795_633_445);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#""2026-11-25T19:04:05Z""#);
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
    }

    #[test]
    fn any_rfc3339_offset_reads_as_the_same_moment() {
        let t: Timestamp = serde_json::from_str(r#""2026-11-25T20:04:05+01:00""#).unwrap();
        assert_eq!(t.unix(), 1_795_633_445);
        assert_eq!(t.to_string(), "2026-11-25T19:04:05Z");
        assert!(serde_json::from_str::<Timestamp>(r#""yesterday""#).is_err());
    }

    #[test]
    fn positive_ids_have_one_spelling() {
        assert_eq!(parse_positive("1"), Some(1));
        assert_eq!(parse_positive("9223372036854775807"), Some(i64::MAX));
        for bad in [
            "",
            "0",
            "05",
            "+5",
            "-5",
            " 5",
            "5 ",
            "1e3",
            "5.0",
            "9223372036854775808",
        ] {
            assert_eq!(parse_positive(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn ids_are_bare_numbers_on_the_wire() {
        assert_eq!(serde_json::to_string(&WoofId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<UserId>("7").unwrap(), UserId(7));
    }
}
