//! `GET /api/stream`: live woofs as server-sent events (see `crate::stream`).

use std::time::Duration;

use rocket::fairing::AdHoc;
use rocket::request::{FromRequest, Outcome};
use rocket::response::stream::{Event as Sse, EventStream};
use rocket::response::{self, Responder};
use rocket::tokio::sync::broadcast::error::RecvError;
use rocket::tokio::time::{interval_at, Instant};
use rocket::{Request, Shutdown, State};
use woofer_shared::api::ErrorBody;
use woofer_shared::{UserId, WoofId};

use crate::auth::CurrentSession;
use crate::db::Db;
use crate::error::Result;
use crate::store::woofs;
use crate::stream::{Event, Hub};

/// At most this many missed woofs are replayed; past it, `reload`.
pub const REPLAY_MAX: u32 = 100;
/// A comment line this often keeps proxies and clients from timing out
/// (the contract asks for one at least every 15 s).
pub const PING_INTERVAL: Duration = Duration::from_secs(10);

/// The `Last-Event-ID` a reconnecting client sends: a woof id, or nothing
/// (any other value is ignored, as if none was sent).
pub struct LastEventId(Option<WoofId>);

impl LastEventId {
    pub fn parse(raw: Option<&str>) -> Self {
        let id = raw
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|&id| id > 0);
        Self(id.map(WoofId))
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for LastEventId {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Self::parse(req.headers().get_one("Last-Event-ID")))
    }
}

/// How a stream begins.
enum Start {
    /// Nothing to make up for: woofs stored after `newest` follow.
    Live { newest: WoofId },
    /// The woofs missed since `Last-Event-ID`, oldest first.
    Replay { after: WoofId, missed: Vec<Event> },
    /// Too many missed: the client reloads its feed; woofs stored after
    /// `newest` follow.
    Reload { newest: WoofId },
}

impl Start {
    async fn after(db: &Db, viewer: UserId, last: LastEventId) -> Result<Self> {
        // Where the woofs stand as the stream opens: an older woof heard
        // later (an instance catching up after its listening connection
        // dropped) was stored before this stream began, and is not news.
        let Some(after) = last.0 else {
            let newest = woofs::newest_id(db).await?;
            return Ok(Self::Live { newest });
        };
        let missed = woofs::after(db, viewer, after, REPLAY_MAX + 1).await?;
        if missed.len() > REPLAY_MAX as usize {
            let newest = woofs::newest_id(db).await?;
            return Ok(Self::Reload { newest });
        }
        let missed = missed.iter().map(Event::woof).collect();
        Ok(Self::Replay { after, missed })
    }
}

/// The woofs a stream does not send live: those stored before it opened
/// (or, after `Last-Event-ID`, had before), and those the replay sent.
struct Covered {
    up_to: WoofId,
    replayed: Vec<WoofId>,
}

impl Covered {
    fn covers(&self, id: WoofId) -> bool {
        id <= self.up_to || self.replayed.contains(&id)
    }
}

fn sse(event: &Event) -> Sse {
    match event {
        Event::Woof { id, json } => Sse::data(json.to_string()).event("woof").id(id.to_string()),
        Event::Deleted { id } => Sse::data(format!(r#"{{"id":{id}}}"#)).event("delete"),
    }
}

/// Rocket reads a streamed body through a buffer of this many bytes, held
/// for as long as the stream is open (4 KiB unless told). An event is a few
/// hundred bytes and a listener is idle most of its life: a larger woof
/// simply goes out in two or three chunks.
const STREAM_CHUNK_BYTES: usize = 1024;

/// An event stream read in [`STREAM_CHUNK_BYTES`] chunks.
pub struct SmallChunks<R>(R);

impl<'r, 'o: 'r, R: Responder<'r, 'o>> Responder<'r, 'o> for SmallChunks<R> {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'o> {
        let mut response = self.0.respond_to(req)?;
        response.set_max_chunk_size(STREAM_CHUNK_BYTES);
        Ok(response)
    }
}

/// What the stream does next.
enum Next {
    Send(Event),
    Ping,
    /// The session ended, or the server is shutting down.
    End(&'static str),
}

#[utoipa::path(get, path = "/api/stream", tag = "woofs", security(("session_cookie" = [])),
    params(("Last-Event-ID" = Option<i64>, Header,
        description = "the last woof id received: the missed woofs (at most 100, oldest first) are sent first, or `event: reload` when more were missed")),
    responses(
        (status = 200, content_type = "text/event-stream", body = String,
            description = "server-sent events while the session lives: `event: woof` (`id:` the woof's id, `data:` the Woof), `event: delete` (`data: {\"id\": N}`), `event: reload` (`data: {}`), and a `: ping` comment at least every 15 s"),
        (status = 401, description = "no valid session", body = ErrorBody)))]
#[rocket::get("/stream")]
async fn stream(
    session: &CurrentSession,
    db: &Db,
    hub: &State<Hub>,
    last: LastEventId,
    mut shutdown: Shutdown,
) -> Result<SmallChunks<EventStream![Sse + 'static]>> {
    // Subscribed before the replay is read: a woof stored in between is in
    // both, and `Covered` drops the second copy; none falls between them.
    let mut live = hub.subscribe();
    let mut session_end = hub.sessions.watch(&session.token_hash);
    let start = Start::after(db, session.user.id, last).await?;
    let stream = EventStream! {
        let covered = match start {
            Start::Live { newest } => Covered { up_to: newest, replayed: Vec::new() },
            Start::Replay { after, missed } => {
                let replayed = missed.iter().filter_map(|e| match e {
                    Event::Woof { id, .. } => Some(*id),
                    Event::Deleted { .. } => None,
                }).collect();
                for event in missed {
                    yield sse(&event);
                }
                Covered { up_to: after, replayed }
            }
            Start::Reload { newest } => {
                yield Sse::data("{}").event("reload");
                Covered { up_to: newest, replayed: Vec::new() }
            }
        };
        let mut ping = interval_at(Instant::now() + PING_INTERVAL, PING_INTERVAL);
        loop {
            let next = rocket::tokio::select! {
                _ = &mut shutdown => Next::End("the server is shutting down"),
                _ = session_end.ended() => Next::End("the session has ended"),
                _ = ping.tick() => Next::Ping,
                event = live.recv() => match event {
                    Ok(event) => Next::Send(event),
                    // Too far behind: dropped, so it holds up nobody; its
                    // client reconnects with Last-Event-ID for what it missed.
                    Err(RecvError::Lagged(_)) => Next::End("too far behind; reconnect with Last-Event-ID"),
                    Err(RecvError::Closed) => Next::End("the server is shutting down"),
                },
            };
            match next {
                Next::Send(Event::Woof { id, .. }) if covered.covers(id) => {}
                Next::Send(event) => yield sse(&event),
                // Rocket writes a comment as `:text`: the space makes it `: ping`.
                Next::Ping => yield Sse::comment(" ping"),
                Next::End(why) => {
                    yield Sse::comment(format!(" {why}"));
                    break;
                }
            }
        }
    };
    // Our own `: ping` replaces Rocket's bare heartbeat.
    Ok(SmallChunks(stream.heartbeat(None)))
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Stream route", |rocket| async {
        rocket.mount("/api", rocket::routes![stream])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_event_id_is_a_woof_id_or_nothing() {
        assert_eq!(LastEventId::parse(Some("42")).0, Some(WoofId(42)));
        assert_eq!(LastEventId::parse(Some(" 7 ")).0, Some(WoofId(7)));
        for ignored in [
            None,
            Some(""),
            Some("0"),
            Some("-3"),
            Some("abc"),
            Some("1.5"),
        ] {
            assert_eq!(LastEventId::parse(ignored).0, None, "{ignored:?}");
        }
    }
}
