//! The app's link to the live stream: a task that keeps `GET /api/stream`
//! open while a dog is logged in and tells the event loop what happens on
//! it. A dropped stream is re-opened with backoff and `Last-Event-ID` (the
//! newest woof seen), so no woof is missed; a server without the stream
//! (404 or 405, an older server) is polled instead.

use std::time::Duration;

use woofer_shared::api::ErrorCode;
use woofer_shared::WoofId;

use crate::api::{ApiClient, ApiError, LiveEvent};

const FIRST_RETRY: Duration = Duration::from_millis(250);
const LAST_RETRY: Duration = Duration::from_secs(10);
/// How often a server without the stream is asked for new woofs.
pub const POLL_EVERY: Duration = Duration::from_secs(30);

/// What the link tells the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveUpdate {
    /// The stream is open. `fresh` when it was opened without
    /// `Last-Event-ID` (nothing to replay from), so woofs stored before it
    /// opened are only to be had by loading the feeds again.
    Connected {
        fresh: bool,
    },
    Event(LiveEvent),
    /// The stream dropped; opening it again.
    Reconnecting,
    /// The server cannot be reached; still trying.
    Offline,
    /// The server has no stream: the feeds are polled instead.
    Polling,
    /// Time to poll.
    Poll,
    /// The session ended: the link stops.
    Ended(ApiError),
}

/// How the link is doing, as the status bar shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveState {
    Live,
    Reconnecting,
    Offline,
    Polling,
}

/// Follows the stream until the session ends or `send` says nobody is
/// listening any more.
pub async fn follow(client: ApiClient, send: impl Fn(LiveUpdate) -> bool) {
    let mut last: Option<WoofId> = None;
    let mut retry = FIRST_RETRY;
    loop {
        let told = match client.live(last).await {
            Ok(mut stream) => {
                retry = FIRST_RETRY;
                if !send(LiveUpdate::Connected {
                    fresh: last.is_none(),
                }) {
                    return;
                }
                // Closed by the server (session ended, shutdown, too slow)
                // or dropped: the next connection tells which.
                while let Ok(Some(event)) = stream.next().await {
                    if let LiveEvent::Woof(woof) = &event {
                        last = Some(last.map_or(woof.id, |l| l.max(woof.id)));
                    }
                    if !send(LiveUpdate::Event(event)) {
                        return;
                    }
                }
                send(LiveUpdate::Reconnecting)
            }
            Err(e) if e.is_session_ended() => {
                send(LiveUpdate::Ended(e));
                return;
            }
            Err(e) if matches!(e.code(), ErrorCode::NotFound | ErrorCode::MethodNotAllowed) => {
                poll(send).await;
                return;
            }
            Err(ApiError::Unreachable { .. }) => send(LiveUpdate::Offline),
            Err(_) => send(LiveUpdate::Reconnecting),
        };
        if !told {
            return;
        }
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(LAST_RETRY);
    }
}

async fn poll(send: impl Fn(LiveUpdate) -> bool) {
    if !send(LiveUpdate::Polling) {
        return;
    }
    loop {
        tokio::time::sleep(POLL_EVERY).await;
        if !send(LiveUpdate::Poll) {
            return;
        }
    }
}
