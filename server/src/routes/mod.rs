//! The API's routes, one module per area, each a `stage()` that mounts
//! itself under `/api`.

pub mod account;
pub mod follows;
pub mod health;
pub mod likes;
pub mod openapi;
pub mod paging;
pub mod session;
pub mod sessions;
pub mod stream;
pub mod timeline;
pub mod users;
pub mod woofs;
