//! Tokens against cross-site request forgery, checked on every form that
//! changes something. SameSite cookies alone are not enough (older
//! browsers, sibling subdomains), so each form carries a token only this
//! site's pages can know:
//!
//! - a logged-in dog's forms: a hash of the session's secret id (the value
//!   sealed in the `woofer_session` private cookie), so the token lives and
//!   dies with the session and no other session's token fits;
//! - the login and register forms (login CSRF): a hash of a random value in
//!   a pre-session private cookie, `woofer_csrf`, set when such a form is
//!   shown. Nothing is stored on the server for either.

use rocket::http::{Cookie, CookieJar, SameSite};
use sha2::{Digest, Sha256};
use woofer_shared::api::SESSION_COOKIE;

use crate::error::Error;
use crate::token::{hex, random_hex};

/// The form field every state-changing form carries its token in.
pub const FIELD: &str = "csrf";
/// The pre-session cookie behind the login and register forms' tokens.
pub const PRE_SESSION_COOKIE: &str = "woofer_csrf";

/// What a forged (or stale) form is told; it changed nothing.
pub const REFUSED: Error = Error::Forbidden(
    "this form was not sent from a Woofer page, or it is out of date; \
     go back, reload the page and try again",
);

/// The token is a hash of the secret, never the secret itself: a token
/// that leaks (in a page saved to disk) does not open the session.
fn token_of(secret: &str) -> String {
    hex(&Sha256::digest(format!("woofer csrf token\0{secret}")))
}

/// The token for the forms of the logged-in dog whose cookie this is.
pub fn session_token(cookies: &CookieJar<'_>) -> Option<String> {
    cookies
        .get_private(SESSION_COOKIE)
        .map(|cookie| token_of(cookie.value()))
}

/// The token for the login and register forms, if the pre-session cookie
/// is there.
pub fn pre_session_token(cookies: &CookieJar<'_>) -> Option<String> {
    cookies
        .get_private(PRE_SESSION_COOKIE)
        .map(|cookie| token_of(cookie.value()))
}

/// The token for the login and register forms, setting the pre-session
/// cookie first when there is none. It says nothing about the visitor and
/// lasts a week (Rocket's default for a private cookie); a form shown
/// before it ended is refused, and reloading the page sets a new one.
pub fn ensure_pre_session_token(cookies: &CookieJar<'_>, secure: bool) -> String {
    if let Some(token) = pre_session_token(cookies) {
        return token;
    }
    let secret = random_hex(32);
    let token = token_of(&secret);
    cookies.add_private(
        Cookie::build((PRE_SESSION_COOKIE, secret))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(secure),
    );
    token
}

/// `Ok` when the form's token is the one expected; [`REFUSED`] when it is
/// missing, wrong, or there is nothing to expect.
pub fn check(expected: Option<String>, sent: &str) -> Result<(), Error> {
    match expected {
        Some(expected) if same(expected.as_bytes(), sent.as_bytes()) => Ok(()),
        _ => Err(REFUSED),
    }
}

/// Compares in time that depends on the length only, so a guess learns
/// nothing from how long the refusal takes.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_fits_only_its_own_secret_and_hides_it() {
        let token = token_of("secret one");
        assert_eq!(token.len(), 64);
        assert!(!token.contains("secret"));
        assert!(check(Some(token.clone()), &token).is_ok());
        assert!(check(Some(token.clone()), &token_of("secret two")).is_err());
        assert!(check(Some(token.clone()), "").is_err());
        assert!(check(Some(token.clone()), &token[..63]).is_err());
        assert!(check(None, &token).is_err());
        assert!(check(None, "").is_err());
    }
}
