//! The client's figures: time from start to the first drawn frame, resident
//! memory with 10,000 woofs loaded, and the time to draw one frame of that
//! feed (on ratatui's TestBackend, so only our drawing is timed).

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use support::TerminalSession;
use time::OffsetDateTime;
use woofer::api::Feed;
use woofer::app::App;
use woofer::effect::Outcome;
use woofer_shared::api::{FeedPage, User, Woof};
use woofer_shared::{Timestamp, UserId, WoofId};
use woofer_tests::{ApiClient, ServerOptions, TestServer};

const WOOFER: &str = env!("CARGO_BIN_EXE_woofer");
const WOOFS: usize = 10_000;

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn frame_times() -> (f64, f64) {
    let woofs: Vec<Woof> = (1..=WOOFS as i64)
        .rev()
        .map(|id| Woof {
            id: WoofId(id),
            author: format!("dog{}", id % 97),
            body: format!("Woof number {id}: a squirrel 🐿️ ran up the old oak and the whole pack barked at it for a while."),
            created_at: Timestamp::from_unix(1_795_633_445),
            reply_to: None,
            reply_count: 0,
            like_count: 0,
            liked_by_me: false,
        })
        .collect();
    let (mut app, _) = App::new("http://127.0.0.1:8000", false, None);
    app.on_outcome(Outcome::LoggedIn(Ok(User {
        id: UserId(1),
        username: "dog1".into(),
        created_at: Timestamp::from_unix(1_795_633_445),
    })));
    app.on_outcome(Outcome::NewestLoaded(
        Feed::Home,
        Ok(FeedPage {
            woofs,
            next_before: None,
        }),
    ));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let now = OffsetDateTime::now_utc();
    let mut times = Vec::new();
    for i in 0..3000 {
        let key = match i % 500 {
            0 => KeyCode::End,
            250 => KeyCode::Home,
            _ => KeyCode::Char('j'),
        };
        app.on_key(KeyEvent::new(key, KeyModifiers::NONE));
        let t = Instant::now();
        terminal
            .draw(|frame| woofer::ui::draw(frame, &mut app, now))
            .unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    (mean, times[times.len() * 99 / 100])
}

fn main() {
    let (mean, p99) = frame_times();
    println!("draw one frame of a {WOOFS}-woof feed (120x40): mean {mean:.3} ms, p99 {p99:.3} ms");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(TestServer::start(ServerOptions::default()));
    let base = server.base_url().to_owned();
    rt.block_on(async {
        let dogs: Vec<_> = futures_util::future::join_all((0..8).map(|i| {
            let base = base.clone();
            async move { Arc::new(ApiClient::registered(&base, &format!("dog{i}")).await) }
        }))
        .await;
        let mut tasks = tokio::task::JoinSet::new();
        for (i, dog) in dogs.iter().enumerate() {
            let dog = dog.clone();
            tasks.spawn(async move {
                for n in 0..WOOFS / 8 {
                    dog.post_woof(&format!("Woof {i}-{n}: a squirrel ran up the old oak 🐿️"))
                        .await;
                }
            });
        }
        while tasks.join_next().await.is_some() {}
    });

    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("cookies.json");
    let jar_arg = jar.to_str().unwrap().to_owned();
    let args = ["--server", base.as_str(), "--cookie-jar", jar_arg.as_str()];
    let term = TerminalSession::start(WOOFER, &args, dir.path(), 40, 120);
    let first_frame = term.wait_for("log in");
    println!(
        "time to first frame (login screen): {:.1} ms",
        first_frame.as_secs_f64() * 1000.0
    );
    drop(term);

    let mut term = TerminalSession::start(WOOFER, &args, dir.path(), 40, 120);
    term.log_in("dog0", "correct horse");
    term.wait_for("@dog0");
    let pid = term.pid();
    let idle = rss_mib(pid);
    // End, again and again: each time near the end the next page loads by itself.
    let deadline = Instant::now() + Duration::from_secs(180);
    // The oldest woof of all is some dog's number 0.
    while !term.screen().contains("-0: a squirrel") {
        assert!(
            Instant::now() < deadline,
            "the whole feed did not load:\n{}",
            term.screen()
        );
        term.send(b"G");
    }
    let loaded = rss_mib(pid);
    println!(
        "client memory: {idle:.1} MiB after login, {loaded:.1} MiB with all {WOOFS} woofs loaded"
    );
    let second = TerminalSession::start(WOOFER, &args, dir.path(), 40, 120);
    let feed_frame = second.wait_for("@dog0");
    println!(
        "time to first frame of the feed with a saved session: {:.1} ms",
        feed_frame.as_secs_f64() * 1000.0
    );
    drop(server);
}
