//! Live woofs (`GET /api/stream`): one [`Hub`] per server instance fans
//! every new and deleted woof out to the open streams through one
//! `tokio::sync::broadcast` channel, so a thousand idle listeners cost a
//! receiver each, and an event costs one serialisation, not one per
//! listener.
//!
//! Where events come from depends on the database ([`Hub::publish`]):
//! on SQLite (one instance) a new woof is broadcast at its commit, in id
//! order ([`Hub::at_commit`]), and a deletion by its request; on
//! PostgreSQL the request sends `pg_notify` and every instance — this one
//! included — hears it on one dedicated listening connection
//! ([`postgres`]) and broadcasts it, so a woof posted through any instance
//! reaches the listeners of all of them.
//!
//! A stream ends when its session does ([`sessions`]), when it falls too
//! far behind (its client reconnects with `Last-Event-ID`), and at shutdown.
//! See docs/stream.md.

pub mod postgres;
pub mod sessions;

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket_db_pools::Database;
use sqlx::AnyPool;
use tokio::sync::broadcast;
use woofer_shared::api::Woof;
use woofer_shared::WoofId;

use crate::db::{Backend, Db};
use crate::store::woofs::AtCommit;

/// Events a slow stream may fall behind before it is dropped: past this
/// the channel overwrites what it has not read, and its client reconnects
/// with `Last-Event-ID` to be replayed what it missed.
const CHANNEL_CAPACITY: usize = 1024;

/// Something a stream tells its listener.
#[derive(Debug, Clone)]
pub enum Event {
    /// A woof was stored: its id and its JSON, serialised once for all.
    Woof { id: WoofId, json: Arc<str> },
    /// A woof was deleted.
    Deleted { id: WoofId },
}

impl Event {
    pub fn woof(woof: &Woof) -> Self {
        let json = serde_json::to_string(woof).expect("a Woof serialises");
        Self::Woof {
            id: woof.id,
            json: json.into(),
        }
    }
}

/// One instance's fan-out of events to its streams, and the watch on the
/// sessions they belong to. Managed state; cloning shares it.
#[derive(Clone)]
pub struct Hub {
    events: broadcast::Sender<Event>,
    backend: Backend,
    pub sessions: Arc<sessions::SessionWatch>,
}

impl Hub {
    pub fn new(backend: Backend) -> Self {
        let (events, _) = broadcast::channel(CHANNEL_CAPACITY);
        Self {
            events,
            backend,
            sessions: Arc::new(sessions::SessionWatch::default()),
        }
    }

    /// A receiver of every event broadcast from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// On SQLite, what tells this instance's streams of a woof the moment
    /// it is committed: every woof commits through one line (the group
    /// commit), so they hear of woofs in id order, and a client that
    /// reconnects with the last id it got has missed none before it. `None`
    /// on PostgreSQL, where [`Self::publish`] tells every instance after
    /// the write.
    pub fn at_commit(&self) -> Option<AtCommit> {
        (self.backend == Backend::Sqlite).then(|| {
            let hub = self.clone();
            Box::new(move |woof: &Woof| hub.broadcast(Event::woof(woof))) as Box<_>
        })
    }

    /// Hands `event` to this instance's streams.
    pub fn broadcast(&self, event: Event) {
        // An error only means no stream is open: nobody to tell.
        let _ = self.events.send(event);
    }

    /// Tells every listener, on every instance, of `event`. Called after the
    /// change is stored. A failure is logged, never the poster's problem:
    /// the woof is stored, and listeners see it when they next load a page.
    pub async fn publish(&self, db: &AnyPool, event: Event) {
        match self.backend {
            Backend::Sqlite => self.broadcast(event),
            Backend::Postgres => {
                if let Err(e) = postgres::notify(db, &event).await {
                    rocket::warn!("could not announce a woof event to the listeners: {e}");
                }
            }
        }
    }
}

/// Manages the [`Hub`] at ignite, and at lift-off starts the session watch
/// and, on PostgreSQL, the listening connection. Both stop at shutdown.
pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Live stream", |rocket| async {
        let url: String = rocket
            .figment()
            .extract_inner("databases.woofer.url")
            .unwrap_or_default();
        let backend = Backend::of_url(&url).unwrap_or(Backend::Sqlite);
        rocket.manage(Hub::new(backend)).attach(AdHoc::on_liftoff(
            "Live stream tasks",
            move |rocket| {
                Box::pin(async move {
                    let (Some(db), Some(hub)) = (Db::fetch(rocket), rocket.state::<Hub>()) else {
                        return;
                    };
                    let pool = (***db).clone();
                    let shutdown = rocket.shutdown();
                    tokio::spawn(sessions::watch(
                        hub.sessions.clone(),
                        pool.clone(),
                        shutdown.clone(),
                    ));
                    if backend == Backend::Postgres {
                        tokio::spawn(postgres::listen(hub.clone(), pool, url, shutdown));
                    }
                })
            },
        ))
    })
}
