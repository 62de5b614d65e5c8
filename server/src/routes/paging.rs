//! `before` and `limit`, shared by the feed and a dog's timeline.

use woofer_shared::api::{PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX};
use woofer_shared::{ValueError, WoofId};

use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageQuery {
    pub before: Option<WoofId>,
    pub limit: u32,
}

impl PageQuery {
    pub fn parse(before: Option<&str>, limit: Option<&str>) -> Result<Self> {
        let limit = match limit {
            None => PAGE_LIMIT_DEFAULT,
            Some(raw) => raw
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=PAGE_LIMIT_MAX).contains(n))
                .ok_or(ValueError::new(
                    "limit",
                    "limit must be a whole number from 1 to 100",
                ))?,
        };
        let before = match before {
            None => None,
            Some(raw) => Some(
                raw.parse::<i64>()
                    .ok()
                    .filter(|&n| n > 0)
                    .map(WoofId)
                    .ok_or(ValueError::new(
                        "before",
                        "before must be a woof id (a positive whole number)",
                    ))?,
            ),
        };
        Ok(Self { before, limit })
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
