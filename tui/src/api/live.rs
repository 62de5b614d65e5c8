//! The live stream as a client reads it: `GET /api/stream`, server-sent
//! events parsed into [`LiveEvent`]s. The server is untrusted here too: an
//! event it cannot explain is skipped, and an event that never ends is
//! refused instead of growing memory.

use std::time::Duration;

use reqwest::Method;
use woofer_shared::api::Woof;
use woofer_shared::WoofId;

use super::{error_of, ApiClient, ApiError};

/// What the stream tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    Woof(Woof),
    Deleted(WoofId),
    /// More woofs were missed than the server replays: reload the feed.
    Reload,
}

/// The server sends a comment at least every 15 s: this long without a
/// byte means the connection is dead, even if TCP has not noticed.
const SILENCE_LIMIT: Duration = Duration::from_secs(45);
/// No event of the contract comes near this (a woof is at most 280
/// graphemes in a 16 KiB request).
const EVENT_MAX: usize = 256 * 1024;
/// The stream runs for as long as the session does; the client's overall
/// request timeout must not end it.
const STREAM_TIMEOUT: Duration = Duration::from_secs(366 * 24 * 60 * 60);

pub struct LiveStream {
    response: reqwest::Response,
    buffer: Vec<u8>,
    url: String,
}

impl ApiClient {
    /// Opens the live stream; with `after`, the woofs stored since that one
    /// come first (or [`LiveEvent::Reload`] when there are too many).
    pub async fn live(&self, after: Option<WoofId>) -> Result<LiveStream, ApiError> {
        let mut request = self
            .http
            .request(Method::GET, format!("{}/api/stream", self.base_url))
            .header("Accept", "text/event-stream")
            .timeout(STREAM_TIMEOUT);
        if let Some(id) = after {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.map_err(|_| self.unreachable())?;
        if !response.status().is_success() {
            return Err(error_of(response).await);
        }
        Ok(LiveStream {
            response,
            buffer: Vec::new(),
            url: self.base_url.clone(),
        })
    }
}

impl LiveStream {
    /// The next event; `None` when the server closed the stream (its
    /// session ended, it is shutting down, or this client fell behind).
    pub async fn next(&mut self) -> Result<Option<LiveEvent>, ApiError> {
        loop {
            while let Some(block) = self.next_block() {
                if let Some(event) = parse_event(&block) {
                    return Ok(Some(event));
                }
            }
            if self.buffer.len() > EVENT_MAX {
                return Err(ApiError::Protocol(
                    "an endless event on the live stream".into(),
                ));
            }
            let chunk = tokio::time::timeout(SILENCE_LIMIT, self.response.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => self.buffer.extend_from_slice(&bytes),
                Ok(Ok(None)) => return Ok(None),
                Ok(Err(_)) | Err(_) => {
                    return Err(ApiError::Unreachable {
                        url: self.url.clone(),
                    })
                }
            }
        }
    }

    /// One event's lines, up to the blank line that ends it.
    fn next_block(&mut self) -> Option<String> {
        let text_end = self
            .buffer
            .windows(2)
            .position(|w| w == b"\n\n")
            .map(|i| i + 2)
            .or_else(|| {
                self.buffer
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .map(|i| i + 4)
            })?;
        let block: Vec<u8> = self.buffer.drain(..text_end).collect();
        Some(String::from_utf8_lossy(&block).into_owned())
    }
}

/// An event of the contract, or `None` for comments and events this
/// client does not know.
fn parse_event(block: &str) -> Option<LiveEvent> {
    let mut kind = "message";
    let mut data = String::new();
    for line in block.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with(':') {
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => kind = value,
            "data" => {
                if !data.is_empty() {
                    data.push('\n');
                }
                data.push_str(value);
            }
            _ => {}
        }
    }
    match kind {
        "woof" => serde_json::from_str(&data).ok().map(LiveEvent::Woof),
        "delete" => {
            #[derive(serde::Deserialize)]
            struct Deleted {
                id: WoofId,
            }
            let Deleted { id } = serde_json::from_str(&data).ok()?;
            Some(LiveEvent::Deleted(id))
        }
        "reload" => Some(LiveEvent::Reload),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contracts_events_are_read_and_the_rest_skipped() {
        let woof = r#"{"id":7,"author":"rex","body":"hi","created_at":"2026-11-25T19:04:05Z","reply_to":null,"reply_count":0,"like_count":0,"liked_by_me":false}"#;
        match parse_event(&format!("event:woof\nid:7\ndata:{woof}\n\n")) {
            Some(LiveEvent::Woof(w)) => assert_eq!((w.id, w.body.as_str()), (WoofId(7), "hi")),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_event("event: delete\ndata: {\"id\": 9}\n\n"),
            Some(LiveEvent::Deleted(WoofId(9)))
        );
        assert_eq!(
            parse_event("event:reload\ndata:{}\n\n"),
            Some(LiveEvent::Reload)
        );
        for skipped in [
            ": ping\n\n",
            "event:woof\ndata:{broken\n\n",
            "event:news\ndata:{}\n\n",
        ] {
            assert_eq!(parse_event(skipped), None, "{skipped:?}");
        }
    }
}
