//! `before`, `after` and `limit`: the paging parameters every list shares.
//!
//! The API reads them from the query itself ([`Paging`]), strictly: each at
//! most once, numbers written as plain digits. (Rocket's own `Option<&str>`
//! query parameters read a repeated or undecodable field as absent, so
//! `?limit=5&limit=7` quietly meant the default page.)

use std::convert::Infallible;

use rocket::request::{FromRequest, Outcome, Request};
use woofer_shared::api::{PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX};
use woofer_shared::ids::parse_positive;
use woofer_shared::{ValueError, WoofId};

use crate::error::Result;

/// `before` and `limit` of a page of woofs, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageQuery {
    pub before: Option<WoofId>,
    pub limit: u32,
}

impl PageQuery {
    pub fn parse(before: Option<&str>, limit: Option<&str>) -> Result<Self> {
        Ok(Self {
            before: cursor("before", before)?.map(WoofId),
            limit: parse_limit(limit)?,
        })
    }
}

const BAD_LIMIT: &str = "limit must be a whole number from 1 to 100";

/// `limit`: 1 to 100, default 20.
pub fn parse_limit(raw: Option<&str>) -> Result<u32> {
    let Some(raw) = raw else {
        return Ok(PAGE_LIMIT_DEFAULT);
    };
    Ok(parse_positive(raw)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n <= PAGE_LIMIT_MAX)
        .ok_or(ValueError::new("limit", BAD_LIMIT))?)
}

/// A paging cursor named `field` (`before`, `after`): a positive whole
/// number, as a previous page's `next_before` / `next_after` gave it.
pub fn cursor(field: &'static str, raw: Option<&str>) -> Result<Option<i64>> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    Ok(Some(
        parse_positive(raw).ok_or(ValueError::new(field, cursor_rule(field)))?,
    ))
}

fn cursor_rule(field: &str) -> &'static str {
    match field {
        "after" => "after must be a woof id (a positive whole number)",
        "before" => "before must be an id (a positive whole number) from a previous page",
        "limit" => BAD_LIMIT,
        _ => "must be a positive whole number",
    }
}

/// The query of a list route, as its decoded `(name, value)` fields. Each
/// paging parameter a route reads may be given at most once: a second one
/// is refused (`422`, naming it) rather than read as either. Fields the
/// route does not read are left alone. Take it after the session guard, so
/// a request without a session still gets its `401` first.
pub struct Paging<'r> {
    fields: Vec<(&'r str, &'r str)>,
}

impl<'r> Paging<'r> {
    pub fn from_fields(fields: impl IntoIterator<Item = (&'r str, &'r str)>) -> Self {
        Self {
            fields: fields.into_iter().collect(),
        }
    }

    /// The one value of `field`, if given.
    fn one(&self, field: &'static str) -> Result<Option<&'r str>> {
        let mut values = self.fields.iter().filter(|(name, _)| *name == field);
        let first = values.next().map(|(_, value)| *value);
        if values.next().is_some() {
            return Err(ValueError::new(field, cursor_rule(field)).into());
        }
        Ok(first)
    }

    pub fn limit(&self) -> Result<u32> {
        parse_limit(self.one("limit")?)
    }

    /// The cursor `field` (`before`, `after`), if given.
    pub fn cursor(&self, field: &'static str) -> Result<Option<i64>> {
        cursor(field, self.one(field)?)
    }

    /// `before` and `limit` of a page of woofs.
    pub fn woofs(&self) -> Result<PageQuery> {
        Ok(PageQuery {
            before: self.cursor("before")?.map(WoofId),
            limit: self.limit()?,
        })
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Paging<'r> {
    type Error = Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Infallible> {
        Outcome::Success(Self::from_fields(
            req.query_fields()
                .map(|f| (f.name.source().as_str(), f.value)),
        ))
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
    fn each_field_read_at_most_once_and_other_fields_left_alone() {
        let paging = Paging::from_fields([("limit", "5"), ("other", "x"), ("before", "9")]);
        assert_eq!(
            paging.woofs().unwrap(),
            PageQuery {
                before: Some(WoofId(9)),
                limit: 5
            }
        );
        assert_eq!(paging.cursor("after").unwrap(), None);

        for (field, twice) in [
            (
                "limit",
                Paging::from_fields([("limit", "5"), ("limit", "7")]),
            ),
            (
                "before",
                Paging::from_fields([("before", "5"), ("before", "5")]),
            ),
        ] {
            let refused = twice.woofs().unwrap_err();
            assert_eq!(refused.body().error.field.as_deref(), Some(field));
        }
        let after_twice = Paging::from_fields([("after", "1"), ("after", "2")]);
        assert!(after_twice.cursor("after").is_err());
        assert!(
            after_twice.woofs().is_ok(),
            "a woof page does not read after"
        );
    }
}
