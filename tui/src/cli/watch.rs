//! `woofer watch`: the live stream printed as it arrives. A dropped
//! connection is re-opened with the last woof's id, so nothing is missed
//! or printed twice; the command ends when its session does (exit 3), or
//! on Ctrl-C (exit 0).

use std::time::Duration;

use time::OffsetDateTime;
use woofer_shared::WoofId;

use crate::api::{ApiClient, ApiError, LiveEvent};

use super::failure::Failure;
use super::output::Printer;

const FIRST_RETRY: Duration = Duration::from_millis(250);
const LAST_RETRY: Duration = Duration::from_secs(10);

/// Watches until interrupted or refused.
pub async fn watch(
    client: &ApiClient,
    out: &mut Printer,
    after: Option<WoofId>,
) -> Result<(), Failure> {
    tokio::select! {
        result = follow(client, out, after) => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

async fn follow(
    client: &ApiClient,
    out: &mut Printer,
    mut last: Option<WoofId>,
) -> Result<(), Failure> {
    // The first connection must succeed, as any command's request must.
    let mut stream = client.live(last).await?;
    let mut retry = FIRST_RETRY;
    let mut said_unreachable = false;
    loop {
        loop {
            match stream.next().await {
                Ok(Some(LiveEvent::Woof(woof))) => {
                    last = Some(last.map_or(woof.id, |l| l.max(woof.id)));
                    out.live_woof(&woof, OffsetDateTime::now_utc());
                }
                Ok(Some(LiveEvent::Deleted(id))) => out.live_deleted(id),
                Ok(Some(LiveEvent::Reload)) => out.live_reload(),
                // Closed by the server (session ended, shutdown, too slow)
                // or dropped: the next connection tells which.
                Ok(None) | Err(_) => break,
            }
        }
        stream = loop {
            match client.live(last).await {
                Ok(stream) => {
                    retry = FIRST_RETRY;
                    said_unreachable = false;
                    break stream;
                }
                Err(e @ ApiError::Unreachable { .. }) => {
                    if !said_unreachable {
                        eprintln!("woofer: {e}; retrying");
                        said_unreachable = true;
                    }
                }
                // The session ended (exit 3), or another refusal.
                Err(e) if e.is_session_ended() => return Err(e.into()),
                Err(e @ ApiError::Server { .. }) if e.code().status() < 500 => return Err(e.into()),
                Err(_) => {}
            }
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(LAST_RETRY);
        };
    }
}
