//! `before` and `limit`, shared by the feed and a dog's timeline.
//!
//! The API reads them from the query itself, strictly: each at most once,
//! written as plain digits. (Rocket's own `Option<&str>` query parameters
//! read a repeated or undecodable field as absent, so `?limit=5&limit=7`
//! quietly meant the default page.)

use rocket::request::{FromRequest, Outcome, Request};
use woofer_shared::api::{PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX};
use woofer_shared::ids::parse_positive;
use woofer_shared::{ValueError, WoofId};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageQuery {
    pub before: Option<WoofId>,
    pub limit: u32,
}

const BAD_LIMIT: ValueError =
    ValueError::new("limit", "limit must be a whole number from 1 to 100");
const BAD_BEFORE: ValueError = ValueError::new(
    "before",
    "before must be a woof id (a positive whole number)",
);

impl PageQuery {
    pub fn parse(before: Option<&str>, limit: Option<&str>) -> Result<Self> {
        let limit = match limit {
            None => PAGE_LIMIT_DEFAULT,
            Some(raw) => parse_positive(raw)
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n <= PAGE_LIMIT_MAX)
                .ok_or(BAD_LIMIT)?,
        };
        let before = match before {
            None => None,
            Some(raw) => Some(parse_positive(raw).map(WoofId).ok_or(BAD_BEFORE)?),
        };
        Ok(Self { before, limit })
    }

    /// From a query's decoded `(name, value)` fields: other names are left
    /// alone; `before` or `limit` given twice is refused, as a value that
    /// cannot be told apart from its twin.
    pub fn from_fields<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self> {
        let (mut before, mut limit) = (None, None);
        for (name, value) in fields {
            let (slot, twice) = match name {
                "before" => (&mut before, BAD_BEFORE),
                "limit" => (&mut limit, BAD_LIMIT),
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(twice.into());
            }
        }
        Self::parse(before, limit)
    }
}

/// A paged API route's query; a bad one is `422 validation_failed`. Take
/// it as `Result<PageQuery, Error>` after the session guard, so a request
/// without a session still gets its `401` first.
#[rocket::async_trait]
impl<'r> FromRequest<'r> for PageQuery {
    type Error = Error;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Error> {
        let fields = req
            .query_fields()
            .map(|f| (f.name.source().as_str(), f.value));
        match Self::from_fields(fields) {
            Ok(query) => Outcome::Success(query),
            Err(e) => Outcome::Error((e.status(), e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(
            PageQuery::parse(None, None).unwrap(),
            PageQuery {
                before: None,
                limit: 20
            }
        );
        assert_eq!(
            PageQuery::parse(Some("7"), Some("100")).unwrap(),
            PageQuery {
                before: Some(WoofId(7)),
                limit: 100
            }
        );
        for (before, limit) in [
            (None, Some("0")),
            (None, Some("101")),
            (None, Some("x")),
            (None, Some("+5")),
            (None, Some("")),
            (None, Some("99999999999")),
            (Some("0"), None),
            (Some("-1"), None),
            (Some("+1"), None),
            (Some("1e3"), None),
            (Some(" 1"), None),
            (Some("99999999999999999999"), None),
        ] {
            assert!(
                PageQuery::parse(before, limit).is_err(),
                "{before:?} {limit:?}"
            );
        }
    }

    #[test]
    fn each_field_at_most_once_and_other_fields_left_alone() {
        assert_eq!(
            PageQuery::from_fields([("limit", "5"), ("other", "x"), ("before", "9")]).unwrap(),
            PageQuery {
                before: Some(WoofId(9)),
                limit: 5
            }
        );
        let twice = PageQuery::from_fields([("limit", "5"), ("limit", "7")]).unwrap_err();
        assert_eq!(twice.body().error.field.as_deref(), Some("limit"));
        let twice = PageQuery::from_fields([("before", "5"), ("before", "5")]).unwrap_err();
        assert_eq!(twice.body().error.field.as_deref(), Some("before"));
    }
}
