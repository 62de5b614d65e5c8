//! Checking a dog's password, written once for every route that needs it
//! (logging in now; changing the password and deleting the account next):
//! normalise the name, look the dog up, count the attempt against the name
//! (refused once the name is throttled), verify (against a dummy hash when
//! there is no such dog, so both answers take as long), and give the
//! attempt back when the password was right.

use sqlx::AnyPool;
use woofer_shared::api::User;
use woofer_shared::rules::normalise_username;
use woofer_shared::{UserId, Username};

use crate::auth::{throttle, PasswordHasher};
use crate::error::{Error, Result};
use crate::store::users;

/// The login service, managed by Rocket beside the hasher it shares.
#[derive(Clone)]
pub struct Login {
    hasher: PasswordHasher,
}

impl Login {
    pub fn new(hasher: PasswordHasher) -> Self {
        Self { hasher }
    }

    /// The dog these credentials belong to. A wrong password and an unknown
    /// name are the same `InvalidCredentials` and both count toward the
    /// throttle; once the name is throttled every try is `RateLimited`.
    pub async fn verify(&self, db: &AnyPool, username_raw: &str, password: &str) -> Result<User> {
        let username = normalise_username(username_raw);
        // Never a 422: a name that breaks the rule matches no dog, so it is
        // not looked up (PostgreSQL cannot even hold some: one with a NUL
        // was a 500). It is still counted, like any name.
        let found = match Username::parse(&username) {
            Ok(valid) => users::find_with_hash(db, valid.as_str()).await?,
            Err(_) => None,
        };
        self.check(db, &storable(&username), found, password).await
    }

    /// Whether `password` is the password of the dog with this id (a
    /// logged-in dog confirming a change), throttled and counted under its
    /// name exactly like a login. `Unauthenticated` if the dog is gone.
    pub async fn verify_dog(&self, db: &AnyPool, id: UserId, password: &str) -> Result<User> {
        let Some((user, hash)) = users::find_by_id_with_hash(db, id).await? else {
            return Err(Error::Unauthenticated);
        };
        let username = user.username.clone();
        self.check(db, &username, Some((user, hash)), password)
            .await
    }

    async fn check(
        &self,
        db: &AnyPool,
        username: &str,
        found: Option<(User, String)>,
        password: &str,
    ) -> Result<User> {
        // Counted before it is judged, so parallel guesses cannot race
        // past the limit; a right password gives its place back.
        let attempt = throttle::attempt(db, username).await?;
        let (user, hash) = found.unzip();
        let verified = self.hasher.verify(password.to_owned(), hash).await?;
        match user {
            Some(user) if verified => {
                attempt.succeeded(db).await?;
                Ok(user)
            }
            _ => Err(Error::InvalidCredentials),
        }
    }
}

/// The name as the throttle keeps it: PostgreSQL's text holds anything but
/// NUL, so a NUL stands as U+FFFD (in a name that breaks the rule anyway).
fn storable(username: &str) -> std::borrow::Cow<'_, str> {
    if username.contains('\0') {
        username.replace('\0', "\u{FFFD}").into()
    } else {
        username.into()
    }
}

#[cfg(test)]
mod tests {
    use woofer_shared::api::LOGIN_FAILURES_ALLOWED;
    use woofer_shared::{Password, Username};

    use super::*;
    use crate::clock;
    use crate::db::scratch_sqlite;

    /// A fresh database holding one dog, `rex`, password `correct horse`.
    async fn with_rex() -> (AnyPool, Login, User) {
        let pool = scratch_sqlite().await;
        let hasher = PasswordHasher::new(2);
        let hash = hasher
            .hash(&Password::parse("correct horse").unwrap())
            .await
            .unwrap();
        let username = Username::parse("rex").unwrap();
        let users::Inserted::New(rex) = users::insert(&pool, &username, &hash, clock::now())
            .await
            .unwrap()
        else {
            panic!("rex is new");
        };
        (pool, Login::new(hasher), rex)
    }

    async fn failures(pool: &AnyPool, username: &str) -> i64 {
        crate::store::login_failures::LOG
            .count_since(pool, username, 0)
            .await
            .unwrap()
            .0
    }

    #[tokio::test]
    async fn the_right_password_finds_the_dog_under_any_spelling_of_its_name() {
        let (pool, login, rex) = with_rex().await;

        let found = login.verify(&pool, "  ReX ", "correct horse").await;

        assert_eq!(found.unwrap(), rex);
        assert_eq!(failures(&pool, "rex").await, 0);
    }

    #[tokio::test]
    async fn unknown_name_and_wrong_password_are_one_error_and_both_count() {
        let (pool, login, _) = with_rex().await;

        let wrong = login.verify(&pool, "rex", "wrong horse").await.unwrap_err();
        let unknown = login
            .verify(&pool, "Nobody", "correct horse")
            .await
            .unwrap_err();
        let invalid_name = login.verify(&pool, "!!", "correct horse").await;

        assert!(matches!(wrong, Error::InvalidCredentials), "{wrong:?}");
        assert!(matches!(unknown, Error::InvalidCredentials), "{unknown:?}");
        assert!(matches!(invalid_name, Err(Error::InvalidCredentials)));
        assert_eq!(wrong.body(), unknown.body());
        assert_eq!(failures(&pool, "rex").await, 1);
        assert_eq!(failures(&pool, "nobody").await, 1, "counted normalised");
    }

    #[tokio::test]
    async fn the_eleventh_try_is_rate_limited_even_with_the_right_password() {
        let (pool, login, _) = with_rex().await;
        for name in ["rex", "ghost"] {
            for i in 0..LOGIN_FAILURES_ALLOWED {
                let r = login.verify(&pool, name, "wrong horse").await;
                assert!(
                    matches!(r, Err(Error::InvalidCredentials)),
                    "{name} try {i}"
                );
            }
        }

        let rex = login.verify(&pool, "rex", "correct horse").await;
        let ghost = login.verify(&pool, "GHOST", "correct horse").await;

        for r in [rex.map(|_| ()), ghost.map(|_| ())] {
            match r {
                Err(Error::RateLimited { retry_after }) => {
                    assert!((1..=901).contains(&retry_after), "{retry_after}")
                }
                other => panic!("expected rate_limited, got {other:?}"),
            }
        }
        let allowed = i64::from(LOGIN_FAILURES_ALLOWED);
        assert_eq!(
            failures(&pool, "rex").await,
            allowed,
            "a refused try is no failure"
        );
    }

    #[tokio::test]
    async fn a_dogs_own_password_is_checked_by_id_and_throttled_by_name() {
        let (pool, login, rex) = with_rex().await;

        let right = login.verify_dog(&pool, rex.id, "correct horse").await;
        let wrong = login.verify_dog(&pool, rex.id, "wrong horse").await;
        let gone = login.verify_dog(&pool, UserId(rex.id.0 + 1), "x").await;

        assert_eq!(right.unwrap(), rex);
        assert!(matches!(wrong, Err(Error::InvalidCredentials)));
        assert!(matches!(gone, Err(Error::Unauthenticated)));
        assert_eq!(failures(&pool, "rex").await, 1);
        for _ in 1..LOGIN_FAILURES_ALLOWED {
            let _ = login.verify(&pool, "rex", "wrong horse").await;
        }
        let throttled = login.verify_dog(&pool, rex.id, "correct horse").await;
        assert!(matches!(throttled, Err(Error::RateLimited { .. })));
    }
}
