//! Events across instances on PostgreSQL: the posting request sends
//! `pg_notify` once the change is stored, and each instance listens on one
//! dedicated connection of its own and broadcasts what it hears to its
//! streams. The connection is re-established by itself when it drops, with
//! a catch-up from the newest woof seen, so a dropped connection loses no
//! woof (deletions heard while it was down are not replayed, as the
//! contract allows).

use std::collections::BTreeSet;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::AnyPool;
use woofer_shared::{UserId, WoofId};

use super::{Event, Hub};
use crate::store::woofs;

/// The notification channel every instance listens on.
pub const CHANNEL: &str = "woofer_events";
/// The listening connection's `application_name`, as `pg_stat_activity` shows it.
pub const APPLICATION_NAME: &str = "woofer-stream";
/// PostgreSQL refuses payloads of 8000 bytes or more; a woof whose JSON
/// would not fit travels as its id, and each instance reads it.
const MAX_PAYLOAD: usize = 7900;
/// Woofs below the newest seen that a catch-up reads again: ids are taken
/// when a woof is inserted but heard of when it commits, so a woof may
/// commit (and be heard of) after one with a larger id.
const CATCH_UP_OVERLAP: i64 = 256;
/// Woof ids remembered as already broadcast, so a catch-up repeats none.
const REMEMBERED: usize = 4096;
/// A catch-up reads missed woofs this many at a time.
const CATCH_UP_PAGE: u32 = 500;
/// Woofs broadcast to every listener are read as no dog in particular
/// (`liked_by_me` false, which the contract allows in stream events).
const NOBODY: UserId = UserId(0);
const FIRST_RETRY: Duration = Duration::from_millis(100);
const LAST_RETRY: Duration = Duration::from_secs(5);

/// Tells every instance's listener of `event`.
pub async fn notify(db: &AnyPool, event: &Event) -> sqlx::Result<()> {
    let payload = match event {
        Event::Woof { id, json } if json.len() < MAX_PAYLOAD => format!("w {id} {json}"),
        Event::Woof { id, .. } => format!("i {id}"),
        Event::Deleted { id } => format!("d {id}"),
    };
    // Counted rather than selected: the Any driver cannot decode `void`.
    sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM (SELECT pg_notify($1, $2)) AS sent")
        .bind(CHANNEL)
        .bind(payload)
        .fetch_one(db)
        .await?;
    Ok(())
}

/// What a notification says.
#[derive(Debug, PartialEq)]
enum Heard<'a> {
    Woof(WoofId, &'a str),
    /// A woof too large to travel: read it by id.
    WoofId(WoofId),
    Deleted(WoofId),
}

fn parse(payload: &str) -> Option<Heard<'_>> {
    let (kind, rest) = payload.split_once(' ')?;
    let (id, json) = rest.split_once(' ').unwrap_or((rest, ""));
    let id = WoofId(id.parse().ok()?);
    match kind {
        "w" => Some(Heard::Woof(id, json)),
        "i" => Some(Heard::WoofId(id)),
        "d" => Some(Heard::Deleted(id)),
        _ => None,
    }
}

/// The woofs this instance has broadcast lately, and the newest of all.
#[derive(Default)]
struct Seen {
    recent: BTreeSet<i64>,
    /// `None` until the listening connection first stands.
    newest: Option<i64>,
}

impl Seen {
    /// Notes woof `id`; `false` when it was broadcast already.
    fn first_time(&mut self, id: WoofId) -> bool {
        if !self.recent.insert(id.0) {
            return false;
        }
        self.newest = Some(self.newest.map_or(id.0, |n| n.max(id.0)));
        while self.recent.len() > REMEMBERED {
            self.recent.pop_first();
        }
        true
    }
}

/// The instance's listener: hears every instance's events and broadcasts
/// them here, reconnecting with growing pauses while PostgreSQL is away,
/// until shutdown.
pub async fn listen(hub: Hub, pool: AnyPool, url: String, mut shutdown: rocket::Shutdown) {
    // Where the woofs stand before anything is heard, so the first
    // connection's catch-up covers the moments before it listened.
    let mut seen = Seen {
        newest: woofs::newest_id(&pool).await.ok().map(|id| id.0),
        ..Seen::default()
    };
    let mut retry = FIRST_RETRY;
    loop {
        let connected = tokio::select! {
            connected = connect(&url) => connected,
            _ = &mut shutdown => return,
        };
        match connected {
            Ok(mut listener) => {
                match catch_up(&hub, &pool, &mut seen).await {
                    Ok(()) => {
                        retry = FIRST_RETRY;
                        loop {
                            let next = tokio::select! {
                                next = listener.try_recv() => next,
                                _ = &mut shutdown => return,
                            };
                            match next {
                                Ok(Some(notification)) => {
                                    hear(&hub, &pool, &mut seen, notification.payload()).await
                                }
                                Ok(None) => {
                                    rocket::warn!("the live stream's PostgreSQL connection dropped; reconnecting");
                                    break;
                                }
                                Err(e) => {
                                    rocket::warn!("the live stream's PostgreSQL connection failed: {e}; reconnecting");
                                    break;
                                }
                            }
                        }
                    }
                    Err(e) => rocket::warn!("the live stream could not catch up: {e}; retrying"),
                }
            }
            Err(e) => rocket::warn!(
                "the live stream cannot listen on PostgreSQL: {e}; retrying in {} ms",
                retry.as_millis()
            ),
        }
        tokio::select! {
            _ = tokio::time::sleep(retry) => {}
            _ = &mut shutdown => return,
        }
        retry = (retry * 2).min(LAST_RETRY);
    }
}

/// A listening connection of its own (not one of the pool's), named so an
/// operator can tell it apart.
async fn connect(url: &str) -> sqlx::Result<PgListener> {
    let options = PgConnectOptions::from_str(url)?.application_name(APPLICATION_NAME);
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_with(options)
        .await?;
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Broadcasts the woofs stored while no connection listened. Run once the
/// connection listens again, so nothing falls between the two. When where
/// the woofs stood is not known, it only notes where they stand now.
async fn catch_up(hub: &Hub, pool: &AnyPool, seen: &mut Seen) -> sqlx::Result<()> {
    let Some(newest) = seen.newest else {
        seen.newest = Some(woofs::newest_id(pool).await?.0);
        return Ok(());
    };
    let mut after = WoofId((newest - CATCH_UP_OVERLAP).max(0));
    loop {
        let missed = woofs::after(pool, NOBODY, after, CATCH_UP_PAGE).await?;
        for woof in &missed {
            if seen.first_time(woof.id) {
                hub.broadcast(Event::woof(woof));
            }
        }
        match missed.last() {
            Some(last) if missed.len() == CATCH_UP_PAGE as usize => after = last.id,
            _ => return Ok(()),
        }
    }
}

async fn hear(hub: &Hub, pool: &AnyPool, seen: &mut Seen, payload: &str) {
    match parse(payload) {
        Some(Heard::Woof(id, json)) => {
            if seen.first_time(id) {
                hub.broadcast(Event::Woof {
                    id,
                    json: json.into(),
                });
            }
        }
        Some(Heard::WoofId(id)) => match woofs::find(pool, NOBODY, id).await {
            Ok(Some((woof, _))) => {
                if seen.first_time(id) {
                    hub.broadcast(Event::woof(&woof));
                }
            }
            // Deleted since: nothing to show.
            Ok(None) => {}
            Err(e) => rocket::warn!("the live stream could not read woof {id}: {e}"),
        },
        Some(Heard::Deleted(id)) => hub.broadcast(Event::Deleted { id }),
        None => rocket::warn!("the live stream ignored a notification it cannot read"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_are_read_back() {
        assert_eq!(
            parse(r#"w 42 {"id":42,"body":"a b"}"#),
            Some(Heard::Woof(WoofId(42), r#"{"id":42,"body":"a b"}"#))
        );
        assert_eq!(parse("i 7"), Some(Heard::WoofId(WoofId(7))));
        assert_eq!(parse("d 9"), Some(Heard::Deleted(WoofId(9))));
        assert_eq!(parse("x 9"), None);
        assert_eq!(parse("w nine {}"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn a_woof_is_broadcast_once_and_the_newest_is_kept() {
        let mut seen = Seen::default();
        assert!(seen.first_time(WoofId(5)));
        assert!(seen.first_time(WoofId(3)));
        assert!(!seen.first_time(WoofId(5)));
        assert_eq!(seen.newest, Some(5));
        for id in 10..10 + REMEMBERED as i64 {
            seen.first_time(WoofId(id));
        }
        assert_eq!(seen.recent.len(), REMEMBERED);
        assert!(!seen.recent.contains(&3), "the oldest are forgotten first");
    }
}
