//! Successful registrations per client address (see
//! `auth::registration_limit`).

use super::window_log::WindowLog;

pub const LOG: WindowLog = WindowLog {
    table: "registrations",
    key: "address",
    at: "registered_at",
    lock_class: 2,
};
