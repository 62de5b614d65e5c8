//! Slowloris: connections that trickle a byte at a time must not stop
//! other dogs being served.

use std::time::Duration;

use reqwest::StatusCode;
use tokio::io::AsyncWriteExt;
use woofer_tests::trials::Trial;
use woofer_tests::{async_tests, ApiClient, ServerOptions, TestServer};

pub fn trials() -> Vec<Trial> {
    async_tests![trickling_connections_do_not_block_other_requests]
}

async fn trickling_connections_do_not_block_other_requests() {
    let server = TestServer::start(ServerOptions::default()).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    let addr = server.base_url().trim_start_matches("http://").to_owned();
    let request = b"POST /api/woofs HTTP/1.1\r\nHost: woofer\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"body\": \"slow...\"}";
    let mut slow = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let addr = addr.clone();
        slow.spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(&addr)
                .await
                .expect("slow client connects");
            // A byte every 100 ms: the whole request would take 10 s.
            for byte in request.iter().take(30) {
                if stream.write_all(&[*byte]).await.is_err() {
                    return false;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            true
        });
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    for i in 0..40 {
        let posted = rex
            .post_woof(&format!("served despite the slow ones {i}"))
            .await;
        let feed = rex.get("/api/woofs?limit=5").await;
        assert_eq!(posted.status, StatusCode::CREATED);
        assert_eq!(feed.status, StatusCode::OK);
    }

    let mut still_connected = 0;
    while let Some(alive) = slow.join_next().await {
        still_connected += usize::from(alive.unwrap());
    }
    assert_eq!(
        still_connected, 200,
        "the slow clients were still trickling while the others were served"
    );
}
