//! The SQL, one module per table, written to run unchanged on SQLite and
//! PostgreSQL (`$n` placeholders, integers and text only).

pub mod follows;
pub mod likes;
pub mod login_failures;
pub mod registrations;
pub mod sessions;
pub mod users;
pub mod window_log;
pub mod woofs;
