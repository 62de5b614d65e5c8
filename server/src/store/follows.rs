//! Who follows whom. The `follow_stored` / `follow_deleted` triggers keep
//! the counts on `users` and each follower's home timeline in step.

use sqlx::{AnyPool, Row};
use woofer_shared::api::{User, UserPage};
use woofer_shared::UserId;

use super::users::{UserRow, USER_COLUMNS_OF_U};

/// Idempotent: the UNIQUE key, not a read, decides whether it was new.
pub async fn follow(
    pool: &AnyPool,
    follower: UserId,
    followee: UserId,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO follows (follower_id, followee_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind(follower.0)
    .bind(followee.0)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn unfollow(pool: &AnyPool, follower: UserId, followee: UserId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2")
        .bind(follower.0)
        .bind(followee.0)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn follows(pool: &AnyPool, follower: UserId, followee: UserId) -> sqlx::Result<bool> {
    let row = sqlx::query("SELECT id FROM follows WHERE follower_id = $1 AND followee_id = $2")
        .bind(follower.0)
        .bind(followee.0)
        .fetch_optional(pool)
        .await?;
    Ok(row.is_some())
}

/// Which side of the follows a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Direction {
    /// The dogs that follow this one.
    Followers,
    /// The dogs this one follows.
    Following,
}

/// One page, most recent follow first; the cursor is the follow's id, a
/// walk of `follows_by_followee` or `follows_by_follower` from a point.
pub async fn list(
    pool: &AnyPool,
    dog: UserId,
    direction: Direction,
    before: Option<i64>,
    limit: u32,
) -> sqlx::Result<UserPage> {
    let (this_side, other_side) = match direction {
        Direction::Followers => ("followee_id", "follower_id"),
        Direction::Following => ("follower_id", "followee_id"),
    };
    let rows = sqlx::query(&format!(
        "SELECT {USER_COLUMNS_OF_U}, f.id AS cursor FROM follows f \
         JOIN users u ON u.id = f.{other_side} \
         WHERE f.{this_side} = $1 AND f.id < $2 ORDER BY f.id DESC LIMIT $3"
    ))
    .bind(dog.0)
    .bind(before.unwrap_or(i64::MAX))
    .bind(i64::from(limit) + 1)
    .fetch_all(pool)
    .await?;
    let more = rows.len() > limit as usize;
    let mut users: Vec<User> = Vec::with_capacity(rows.len());
    let mut last_cursor = None;
    for row in rows.iter().take(limit as usize) {
        users.push(<UserRow as sqlx::FromRow<_>>::from_row(row)?.0);
        last_cursor = Some(row.try_get::<i64, _>("cursor")?);
    }
    Ok(UserPage {
        users,
        next_before: if more { last_cursor } else { None },
    })
}
