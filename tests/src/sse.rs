//! A server-sent events reader over `GET /api/stream`, as a client would
//! hold one open: events parsed as the SSE format says (fields, blank line
//! ends an event, comment lines start with `:`).

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::client::{ApiClient, ApiResponse};

/// One event: its `event:` type, `id:` and `data:` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
}

impl SseEvent {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data)
            .unwrap_or_else(|e| panic!("event data is not JSON ({e}): {:?}", self.data))
    }
}

/// What the stream said next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sse {
    Event(SseEvent),
    Comment(String),
    /// The server closed the stream.
    End,
    /// Nothing within the time asked.
    Silence,
}

pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
    pending: std::collections::VecDeque<Sse>,
    ended: bool,
}

impl EventStream {
    /// Opens the stream as `client`, with `Last-Event-ID` when given;
    /// the whole answer when it is refused.
    pub async fn open(
        client: &ApiClient,
        last_event_id: Option<&str>,
    ) -> Result<Self, ApiResponse> {
        let mut request = client
            .request(Method::GET, "/api/stream")
            .header("Accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id);
        }
        let response = request.send().await.expect("stream request sent");
        if response.status() != StatusCode::OK {
            let status = response.status();
            let headers = response.headers().clone();
            let text = response.text().await.unwrap_or_default();
            return Err(ApiResponse {
                status,
                headers,
                text,
            });
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        Ok(Self {
            response,
            buffer: String::new(),
            pending: Default::default(),
            ended: false,
        })
    }

    /// Opens the stream, panicking unless the server accepts it.
    pub async fn opened(client: &ApiClient, last_event_id: Option<&str>) -> Self {
        match Self::open(client, last_event_id).await {
            Ok(stream) => stream,
            Err(r) => panic!("stream refused: {} {}", r.status, r.text),
        }
    }

    /// The next event, comment or end, waiting at most `within`.
    pub async fn next(&mut self, within: Duration) -> Sse {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(item) = self.pending.pop_front() {
                return item;
            }
            if self.ended {
                return Sse::End;
            }
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Err(_) => return Sse::Silence,
                Ok(Ok(Some(bytes))) => {
                    self.buffer.push_str(&String::from_utf8_lossy(&bytes));
                    self.parse();
                }
                Ok(Ok(None)) | Ok(Err(_)) => self.ended = true,
            }
        }
    }

    /// The next event, skipping comments; panics on the end or silence.
    pub async fn next_event(&mut self, within: Duration) -> SseEvent {
        loop {
            match self.next(within).await {
                Sse::Event(event) => return event,
                Sse::Comment(_) => {}
                other => panic!("expected an event within {within:?}, got {other:?}"),
            }
        }
    }

    /// Reads until the stream ends, at most `within`: `Ok` with the
    /// comments sent on the way, or what came instead (an event, silence).
    pub async fn end(&mut self, within: Duration) -> Result<Vec<String>, Sse> {
        let deadline = tokio::time::Instant::now() + within;
        let mut comments = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await {
                Sse::End => return Ok(comments),
                Sse::Comment(c) => comments.push(c),
                other => return Err(other),
            }
        }
    }

    /// Nothing but comments for `quiet`.
    pub async fn assert_no_event(&mut self, quiet: Duration) {
        let deadline = tokio::time::Instant::now() + quiet;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await {
                Sse::Silence => return,
                Sse::Comment(_) => {}
                other => panic!("expected no event, got {other:?}"),
            }
        }
    }

    fn parse(&mut self) {
        while let Some(end) = self.buffer.find("\n\n") {
            let block: String = self.buffer.drain(..end + 2).collect();
            let mut event = SseEvent {
                event: "message".into(),
                id: None,
                data: String::new(),
            };
            let mut has_field = false;
            for line in block.lines().filter(|l| !l.is_empty()) {
                if let Some(comment) = line.strip_prefix(':') {
                    self.pending
                        .push_back(Sse::Comment(comment.trim_start().to_owned()));
                    continue;
                }
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                has_field = true;
                match field {
                    "event" => event.event = value.to_owned(),
                    "id" => event.id = Some(value.to_owned()),
                    "data" => {
                        if !event.data.is_empty() {
                            event.data.push('\n');
                        }
                        event.data.push_str(value);
                    }
                    _ => {}
                }
            }
            if has_field {
                self.pending.push_back(Sse::Event(event));
            }
        }
    }
}
