//! `before`, `after` and `limit`: the paging parameters every list shares.

use woofer_shared::api::{PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX};
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

/// `limit`: 1 to 100, default 20.
pub fn parse_limit(raw: Option<&str>) -> Result<u32> {
    let Some(raw) = raw else {
        return Ok(PAGE_LIMIT_DEFAULT);
    };
    Ok(raw
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=PAGE_LIMIT_MAX).contains(n))
        .ok_or(ValueError::new(
            "limit",
            "limit must be a whole number from 1 to 100",
        ))?)
}

/// A paging cursor named `field` (`before`, `after`): a positive whole
/// number, as a previous page's `next_before` / `next_after` gave it.
pub fn cursor(field: &'static str, raw: Option<&str>) -> Result<Option<i64>> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let message = match field {
        "after" => "after must be a woof id (a positive whole number)",
        "before" => "before must be an id (a positive whole number) from a previous page",
        _ => "must be a positive whole number",
    };
    Ok(Some(
        raw.parse::<i64>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or(ValueError::new(field, message))?,
    ))
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
            (Some("0"), None),
            (Some("-1"), None),
            (Some("1e3"), None),
        ] {
            assert!(
                PageQuery::parse(before, limit).is_err(),
                "{before:?} {limit:?}"
            );
        }
    }
}
