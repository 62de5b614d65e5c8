//! Failed logins per normalised username (see `auth::throttle`).

use super::window_log::WindowLog;

pub const LOG: WindowLog = WindowLog {
    table: "login_failures",
    key: "username",
    at: "failed_at",
    lock_class: 1,
};
