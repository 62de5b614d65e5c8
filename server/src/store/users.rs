use sqlx::any::AnyRow;
use sqlx::{AnyPool, FromRow, Row};
use woofer_shared::api::{Profile, User};
use woofer_shared::{UserId, Username, WoofId};

use crate::clock;

/// The columns a [`User`] is read from, by [`UserRow`]: every query that
/// returns a dog selects exactly these.
pub(super) const USER_COLUMNS: &str = "id, username, created_at";
/// [`USER_COLUMNS`] of `users u`, for joins.
pub(super) const USER_COLUMNS_OF_U: &str = "u.id, u.username, u.created_at";

/// A row of [`USER_COLUMNS`] as the API's `User`: the one place a dog is
/// read from the database.
pub(super) struct UserRow(pub User);

impl<'r> FromRow<'r, AnyRow> for UserRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Self(User {
            id: UserId(row.try_get("id")?),
            username: row.try_get("username")?,
            created_at: clock::timestamp(row.try_get("created_at")?),
        }))
    }
}

pub enum Inserted {
    New(User),
    Taken,
}

pub async fn insert(
    pool: &AnyPool,
    username: &Username,
    password_hash: &str,
    now: i64,
) -> sqlx::Result<Inserted> {
    let result: sqlx::Result<UserRow> = sqlx::query_as(&format!(
        "INSERT INTO users (username, password_hash, created_at) VALUES ($1, $2, $3) \
         RETURNING {USER_COLUMNS}"
    ))
    .bind(username.as_str())
    .bind(password_hash)
    .bind(now)
    .fetch_one(pool)
    .await;
    match result {
        Ok(UserRow(user)) => Ok(Inserted::New(user)),
        // The UNIQUE constraint decides, so two registrations racing for one name cannot both win.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(Inserted::Taken),
        Err(e) => Err(e),
    }
}

/// The dog and its password hash, for checking a password.
pub async fn find_with_hash(
    pool: &AnyPool,
    username: &str,
) -> sqlx::Result<Option<(User, String)>> {
    let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1");
    with_hash(
        sqlx::query(&sql)
            .bind(username)
            .fetch_optional(pool)
            .await?,
    )
}

/// The dog with this id and its password hash, for checking a logged-in
/// dog's password again.
pub async fn find_by_id_with_hash(
    pool: &AnyPool,
    id: UserId,
) -> sqlx::Result<Option<(User, String)>> {
    let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE id = $1");
    with_hash(sqlx::query(&sql).bind(id.0).fetch_optional(pool).await?)
}

fn with_hash(row: Option<AnyRow>) -> sqlx::Result<Option<(User, String)>> {
    row.map(|row| Ok((UserRow::from_row(&row)?.0, row.try_get("password_hash")?)))
        .transpose()
}

/// The dog, without its password hash (profiles, timelines, registration).
pub async fn find(pool: &AnyPool, username: &str) -> sqlx::Result<Option<User>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
    ))
    .bind(username)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|UserRow(user)| user))
}

/// The dog's profile as `viewer` sees it: counts are columns the triggers
/// keep, so a profile costs the same at a million followers as at one.
pub async fn profile(
    pool: &AnyPool,
    viewer: UserId,
    username: &str,
) -> sqlx::Result<Option<Profile>> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS_OF_U}, u.woof_count, u.follower_count, u.following_count, \
         CAST(CASE WHEN EXISTS (SELECT 1 FROM follows f \
             WHERE f.follower_id = $1 AND f.followee_id = u.id) THEN 1 ELSE 0 END AS BIGINT) \
             AS followed_by_me \
         FROM users u WHERE u.username = $2"
    ))
    .bind(viewer.0)
    .bind(username)
    .fetch_optional(pool)
    .await?;
    row.map(|row| {
        Ok(Profile {
            user: UserRow::from_row(&row)?.0,
            woof_count: row.try_get("woof_count")?,
            follower_count: row.try_get("follower_count")?,
            following_count: row.try_get("following_count")?,
            followed_by_me: row.try_get::<i64, _>("followed_by_me")? != 0,
        })
    })
    .transpose()
}

/// Sets the dog's password hash and ends every other session of it, in one
/// transaction: no moment where the old password or an old session works
/// beside the new one.
pub async fn change_password(
    pool: &AnyPool,
    id: UserId,
    password_hash: &str,
    keep_session: &str,
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(id.0)
        .bind(keep_session)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Removes the dog and everything of it in one transaction, and returns
/// the ids of the woofs that went with it; its name is free again. Its
/// woofs go explicitly (their likes and timeline entries by foreign key);
/// deleting the dog's row takes its likes, follows, timeline and sessions
/// by foreign key, and the triggers count the likes and replies it gave one
/// fewer. Failed logins under its name go too.
pub async fn delete(pool: &AnyPool, user: &User) -> sqlx::Result<Vec<WoofId>> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.id.0)
        .execute(&mut *tx)
        .await?;
    let woofs: Vec<(i64,)> = sqlx::query_as("DELETE FROM woofs WHERE author_id = $1 RETURNING id")
        .bind(user.id.0)
        .fetch_all(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user.id.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM login_failures WHERE username = $1")
        .bind(&user.username)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(woofs.into_iter().map(|(id,)| WoofId(id)).collect())
}
