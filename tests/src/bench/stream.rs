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

use super::{cpu_seconds, drive, memory_kib, round, ApiClient, Latencies};

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
    let mut head: Vec<u8> = Vec::new();
    let mut body = Dechunked::default();
    let mut carry: Vec<u8> = Vec::new();
    let mut headers_done = false;
    loop {
        let n = socket.read(&mut buffer).await?;
        if n == 0 {
            return Ok(());
        }
        let now = Instant::now();
        if headers_done {
            body.push(&buffer[..n], &mut carry);
        } else {
            head.extend_from_slice(&buffer[..n]);
            if !head.starts_with(b"HTTP/1.1 200") {
                return Err(std::io::Error::other(
                    String::from_utf8_lossy(&head).into_owned(),
                ));
            }
            let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            headers_done = true;
            connected.fetch_add(1, Ordering::Relaxed);
            body.push(&head[end + 4..], &mut carry);
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

/// The payload of a `Transfer-Encoding: chunked` body, fed as it arrives:
/// an event may be cut across chunks, and a chunk's size line must not be
/// read as part of it (it once split `fanout-42` into `fanout-4` and `2`).
#[derive(Default)]
struct Dechunked {
    /// Payload bytes left in the current chunk.
    left: usize,
    /// The CRLF after a chunk's payload is still to come.
    trailing: usize,
    line: Vec<u8>,
}

impl Dechunked {
    fn push(&mut self, mut raw: &[u8], out: &mut Vec<u8>) {
        while !raw.is_empty() {
            if self.trailing > 0 {
                let skip = self.trailing.min(raw.len());
                self.trailing -= skip;
                raw = &raw[skip..];
            } else if self.left > 0 {
                let take = self.left.min(raw.len());
                out.extend_from_slice(&raw[..take]);
                self.left -= take;
                raw = &raw[take..];
                if self.left == 0 {
                    self.trailing = 2;
                }
            } else {
                let Some(end) = raw.iter().position(|&b| b == b'\n') else {
                    self.line.extend_from_slice(raw);
                    return;
                };
                self.line.extend_from_slice(&raw[..end]);
                raw = &raw[end + 1..];
                let line = String::from_utf8_lossy(&self.line);
                let size = line.trim().split(';').next().unwrap_or_default();
                self.left = usize::from_str_radix(size, 16).unwrap_or(0);
                self.line.clear();
            }
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

/// The feed's throughput (16 readers) without and with `n` listeners
/// connected: first with a woof posted every 100 ms throughout, so the
/// listeners have work (10 events a second each), then with no posts, the
/// listeners idle but for pings.
pub async fn feed_beside_listeners(
    base: &str,
    pid: u32,
    cookies: &[String],
    readers: &[Arc<ApiClient>],
    poster: Arc<ApiClient>,
    n: usize,
    duration: Duration,
) -> Value {
    let feed = |c: &ApiClient, _| c.request(reqwest::Method::GET, "/api/woofs");
    // Where the two cores went: the server, and this process (the feed's
    // readers and, with listeners, their reading of events).
    let cpu = move || (cpu_seconds(pid), cpu_seconds(std::process::id()));
    let run = |posts: bool| {
        let poster = poster.clone();
        let readers = readers.to_vec();
        async move {
            let before = cpu();
            let posting = tokio::spawn(async move {
                let deadline = Instant::now() + duration;
                while posts && Instant::now() < deadline {
                    poster.post_woof("beside the feed").await;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            });
            let (mut lat, secs) = drive(readers, duration, feed).await;
            let _ = posting.await;
            let after = cpu();
            let cores_busy = |a: f64, b: f64| round((a - b) / secs);
            json!({
                "req_per_s": round(lat.ok as f64 / secs),
                "p99_ms": round(lat.percentile_ms(0.99)),
                "failed": lat.failed,
                "server_cores_busy": cores_busy(after.0, before.0),
                "benchmark_cores_busy": cores_busy(after.1, before.1),
            })
        }
    };
    let change = |without: &Value, with: &Value| {
        let (a, b) = (
            without["req_per_s"].as_f64().unwrap_or(0.0),
            with["req_per_s"].as_f64().unwrap_or(0.0),
        );
        round(100.0 * (b - a) / a.max(1e-9))
    };
    // Warm-up, unmeasured.
    drive(readers.to_vec(), Duration::from_secs(2), feed).await;
    let posting_without = run(true).await;
    let quiet_without = run(false).await;
    let mut listeners = Listeners::new();
    listeners.open(base, cookies, n, None).await;
    let posting_with = run(true).await;
    let quiet_with = run(false).await;
    listeners.close();
    let row = json!({
        "listeners": n,
        "posting": {
            "without": posting_without, "with": posting_with,
            "change_pct": change(&posting_without, &posting_with),
        },
        "quiet": {
            "without": quiet_without, "with": quiet_with,
            "change_pct": change(&quiet_without, &quiet_with),
        },
    });
    eprintln!("feed beside listeners: {row}");
    row
}
