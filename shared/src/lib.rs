//! What the Woofer server and every client must agree on, written once:
//! the shapes of the HTTP API (`api`), its ids and times (`ids`), and the
//! rules on values (`rules`).
//!
//! The contract itself is `docs/API.md`; this crate is its executable form.

pub mod api;
pub mod ids;
pub mod rules;

pub use api::{ApiError, ErrorBody, ErrorCode, FeedPage, User, Woof};
pub use ids::{Timestamp, UserId, WoofId};
pub use rules::{Password, Username, ValueError, WoofBody};
