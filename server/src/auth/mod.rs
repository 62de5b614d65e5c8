//! Who a request comes from: password hashing, server-side sessions named
//! by a private cookie, and the failed-login throttle.

pub mod password;
pub mod session;
pub mod throttle;

pub use password::PasswordHasher;
pub use session::{CurrentSession, SessionStore};
