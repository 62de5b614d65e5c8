//! `woofer-bench --stream`: the live stream measured. Server memory with
//! 1,000 and 10,000 idle listeners; the time from a post's 201 to its
//! arrival at 1,000 listeners (on PostgreSQL, spread over two instances,
//! the posts going through one); the feed's throughput with 1,000
//! listeners connected and without.
//!
//! Listeners are plain TCP connections speaking HTTP/1.1, so the
//! generator's own cost stays small beside the server's.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use super::{drive, memory_kib, round, ApiClient, Latencies};

/// Listeners share this many sessions (one login each): enough that the
/// session watch has real work, without ten thousand password hashes.
const SESSIONS: usize = 100;
/// Posts timed for the fan-out.
const FANOUT_POSTS: u64 = 100;
const MARKER: &[u8] = b"fanout-";

/// The bench's process may hold as many sockets as its hard limit allows.
pub fn raise_descriptor_limit() {
    // SAFETY: plain getrlimit/setrlimit on a local struct.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// The session cookies of `SESSIONS` logins of one dog.
pub async fn session_cookies(base: &str) -> Vec<String> {
    let first = ApiClient::registered(base, "listener").await;
    drop(first);
    let mut cookies = Vec::new();
    for _ in 0..SESSIONS {
        let client = ApiClient::new(base);
        let r = client.login("listener", "correct horse").await;
        cookies.push(r.session_cookie().expect("a session cookie"));
    }
    cookies
}

/// Listeners connected, each in a task of its own, reporting every
/// `fanout-K` it reads as (K, when).
pub struct Listeners {
    tasks: tokio::task::JoinSet<()>,
    pub connected: Arc<AtomicUsize>,
}

impl Listeners {
    pub fn new() -> Self {
        Self {
            tasks: tokio::task::JoinSet::new(),
            connected: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Opens `n` more streams on `base` (http://host:port), reporting
    /// arrivals on `arrivals` when given; returns once all are open.
    pub async fn open(
        &mut self,
        base: &str,
        cookies: &[String],
        n: usize,
        arrivals: Option<mpsc::UnboundedSender<(u64, Instant)>>,
    ) {
        let address = base.trim_start_matches("http://").to_owned();
        let target = self.connected.load(Ordering::Relaxed) + n;
        for i in 0..n {
            let cookie = cookies[i % cookies.len()].clone();
            let address = address.clone();
            let connected = self.connected.clone();
            let arrivals = arrivals.clone();
            self.tasks.spawn(async move {
                if let Err(e) = listen(&address, &cookie, &connected, arrivals).await {
                    eprintln!("listener failed: {e}");
                }
            });
            // Opening thousands at once would only measure the accept queue.
            if i % 200 == 199 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        let deadline = Instant::now() + Duration::from_secs(120);
        while self.connected.load(Ordering::Relaxed) < target {
            assert!(Instant::now() < deadline, "listeners did not all connect");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn close(mut self) {
        self.tasks.abort_all();
    }
}

async fn listen(
    address: &str,
    cookie: &str,
    connected: &AtomicUsize,
    arrivals: Option<mpsc::UnboundedSender<(u64, Instant)>>,
) -> std::io::Result<()> {
    let mut socket = TcpStream::connect(address).await?;
    let request = format!(
        "GET /api/stream HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\
         Cookie: woofer_session={cookie}\r\n\r\n"
    );
    socket.write_all(request.as_bytes()).await?;
    let mut buffer = vec![0u8; 2048];
    let mut carry: Vec<u8> = Vec::new();
    let mut headers_done = false;
    loop {
        let n = socket.read(&mut buffer).await?;
        if n == 0 {
            return Ok(());
        }
        let now = Instant::now();
        carry.extend_from_slice(&buffer[..n]);
        if !headers_done {
            if !carry.starts_with(b"HTTP/1.1 200") {
                return Err(std::io::Error::other(
                    String::from_utf8_lossy(&carry).into_owned(),
                ));
            }
            if let Some(end) = carry.windows(4).position(|w| w == b"\r\n\r\n") {
                headers_done = true;
                connected.fetch_add(1, Ordering::Relaxed);
                carry.drain(..end + 4);
            } else {
                continue;
            }
        }
        if let Some(arrivals) = &arrivals {
            let mut at = 0;
            while let Some(i) = find(&carry[at..], MARKER) {
                let start = at + i + MARKER.len();
                let digits = carry[start..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                // The number may go on in the next read.
                if start + digits == carry.len() {
                    at += i;
                    break;
                }
                if let Ok(k) = std::str::from_utf8(&carry[start..start + digits])
                    .unwrap_or_default()
                    .parse()
                {
                    let _ = arrivals.send((k, now));
                }
                at = start + digits;
            }
            carry.drain(..at.min(carry.len()));
        }
        // Keep only what may hold the start of a split marker.
        if carry.len() > 64 {
            carry.drain(..carry.len() - 64);
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Server memory (summed over `pids`) with no listener, `counts[0]`, then
/// `counts[1]`… idle listeners spread over `bases`.
pub async fn idle_memory(
    bases: &[String],
    pids: &[u32],
    cookies: &[String],
    counts: &[usize],
) -> Value {
    let rss = || pids.iter().map(|&p| memory_kib(p).0).sum::<u64>();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = rss();
    let mut listeners = Listeners::new();
    let mut open = 0;
    let mut rows = Vec::new();
    for &count in counts {
        let more = count - open;
        for (i, base) in bases.iter().enumerate() {
            let share = more / bases.len() + usize::from(i < more % bases.len());
            listeners.open(base, cookies, share, None).await;
        }
        open = count;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let after = rss();
        let per = (after.saturating_sub(before)) as f64 * 1024.0 / count as f64;
        rows.push(json!({
            "listeners": count,
            "server_rss_mib": round(after as f64 / 1024.0),
            "per_listener_kib": round(per / 1024.0),
        }));
        eprintln!("idle listeners: {}", rows.last().unwrap());
    }
    listeners.close();
    json!({"server_rss_mib_without": round(before as f64 / 1024.0), "with": rows})
}

/// Median and p99 from a post's 201 (through `poster`) to its arrival at
/// each of `n` listeners spread over `bases`.
pub async fn fanout(bases: &[String], cookies: &[String], poster: &ApiClient, n: usize) -> Value {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut listeners = Listeners::new();
    for (i, base) in bases.iter().enumerate() {
        let share = n / bases.len() + usize::from(i < n % bases.len());
        listeners.open(base, cookies, share, Some(tx.clone())).await;
    }
    drop(tx);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut acknowledged = Vec::new();
    for k in 0..FANOUT_POSTS {
        let r = poster.post_woof(&format!("fanout-{k}")).await;
        acknowledged.push(Instant::now());
        assert_eq!(r.status.as_u16(), 201, "{}", r.text);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    listeners.close();
    let mut lat = Latencies::default();
    let mut early = 0u64;
    while let Ok((k, at)) = rx.try_recv() {
        let Some(&acked) = acknowledged.get(k as usize) else {
            continue;
        };
        // An arrival may beat the poster's reading of its own 201.
        if at < acked {
            early += 1;
        }
        let micros = at.saturating_duration_since(acked).as_micros();
        lat.micros.push(micros.min(u128::from(u32::MAX)) as u32);
        lat.ok += 1;
    }
    let expected = FANOUT_POSTS * n as u64;
    let row = json!({
        "listeners": n,
        "instances": bases.len(),
        "posts": FANOUT_POSTS,
        "arrivals": lat.ok,
        "missing": expected.saturating_sub(lat.ok),
        "before_the_201": early,
        "p50_ms": round(lat.percentile_ms(0.50)),
        "p99_ms": round(lat.percentile_ms(0.99)),
        "max_ms": round(lat.percentile_ms(1.0)),
    });
    eprintln!("fan-out: {row}");
    row
}

/// The feed's throughput (16 readers) with and without `n` listeners,
/// a woof posted every 100 ms throughout so the listeners have work.
pub async fn feed_beside_listeners(
    base: &str,
    cookies: &[String],
    readers: &[Arc<ApiClient>],
    poster: Arc<ApiClient>,
    n: usize,
    duration: Duration,
) -> Value {
    let feed = |c: &ApiClient, _| c.request(reqwest::Method::GET, "/api/woofs");
    let run = |readers: Vec<Arc<ApiClient>>| {
        let poster = poster.clone();
        async move {
            let posting = tokio::spawn(async move {
                let deadline = Instant::now() + duration;
                while Instant::now() < deadline {
                    poster.post_woof("beside the feed").await;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            });
            let (lat, secs) = drive(readers, duration, feed).await;
            let _ = posting.await;
            (lat, secs)
        }
    };
    // Warm-up, unmeasured.
    drive(readers.to_vec(), Duration::from_secs(2), feed).await;
    let (mut without, secs_without) = run(readers.to_vec()).await;
    let mut listeners = Listeners::new();
    listeners.open(base, cookies, n, None).await;
    let (mut with, secs_with) = run(readers.to_vec()).await;
    listeners.close();
    let per_s_without = without.ok as f64 / secs_without;
    let per_s_with = with.ok as f64 / secs_with;
    let row = json!({
        "listeners": n,
        "req_per_s_without": round(per_s_without),
        "req_per_s_with": round(per_s_with),
        "change_pct": round(100.0 * (per_s_with - per_s_without) / per_s_without),
        "p99_ms_without": round(without.percentile_ms(0.99)),
        "p99_ms_with": round(with.percentile_ms(0.99)),
        "failed": without.failed + with.failed,
    });
    eprintln!("feed beside listeners: {row}");
    row
}
