//! Woofer's benchmark: starts the release server on a temporary database,
//! seeds woofs, drives it over HTTP with concurrent keep-alive clients and
//! prints what it measured (a table, or JSON with `--json`).
//!
//! cargo run --release -p woofer-tests --bin woofer-bench -- [--json]
//!     [--sizes 1000,100000,1000000] [--seconds 10] [--pool N] [--likes N]
//!     [--write-rate N] [--writers N] [--postgres URL]
//!     [--stream] [--writes-only]
//!
//! `--writes-only` runs only the posting and paced-write phases (on
//! `--sizes`' first size of seeded woofs): the quick loop for work on the
//! write path.
//!
//! `--stream` measures the live stream instead (`stream` below); on
//! PostgreSQL it runs two server instances on the one database.

#[path = "../bench/keep_alive.rs"]
mod keep_alive;
#[path = "../bench/stream.rs"]
mod stream;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::{AnyPool, Executor};
use woofer_tests::server::TestData;
use woofer_tests::{ApiClient, Backend, ServerProcess};

struct Args {
    json: bool,
    sizes: Vec<u64>,
    seconds: u64,
    backend: Backend,
    pool: u32,
    stream: bool,
    /// Likes seeded onto the newest page of woofs for the likes phase.
    likes: u64,
    /// Writes per second (posts and likes together) the paced phase asks for.
    write_rate: u64,
    /// The server's `writer_connections` (SQLite), when not its default.
    writers: Option<u32>,
    /// Only the posting and paced-write phases.
    writes_only: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        json: false,
        sizes: vec![1_000, 100_000, 1_000_000],
        seconds: 10,
        backend: Backend::Sqlite,
        pool: 16,
        stream: false,
        likes: 1_000_000,
        write_rate: 5_000,
        writers: None,
        writes_only: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--json" => args.json = true,
            "--stream" => args.stream = true,
            "--writes-only" => args.writes_only = true,
            "--sizes" => {
                args.sizes = it
                    .next()
                    .expect("--sizes N,N,…")
                    .split(',')
                    .map(|n| n.trim().parse().expect("a number"))
                    .collect()
            }
            "--seconds" => {
                args.seconds = it.next().expect("--seconds N").parse().expect("a number")
            }
            "--pool" => args.pool = it.next().expect("--pool N").parse().expect("a number"),
            "--writers" => {
                args.writers = Some(it.next().expect("--writers N").parse().expect("a number"))
            }
            "--likes" => args.likes = it.next().expect("--likes N").parse().expect("a number"),
            "--write-rate" => {
                args.write_rate = it
                    .next()
                    .expect("--write-rate N")
                    .parse()
                    .expect("a number")
            }
            "--postgres" => {
                args.backend = Backend::Postgres {
                    admin_url: it.next().expect("--postgres URL"),
                }
            }
            "-h" | "--help" => {
                println!("woofer-bench [--json] [--sizes 1000,100000,1000000] [--seconds 10] [--pool 16] [--likes 1000000] [--write-rate 5000] [--writers N] [--postgres ADMIN_URL] [--stream] [--writes-only]");
                std::process::exit(0);
            }
            other => panic!("unknown argument {other}; try --help"),
        }
    }
    args
}

/// The server binary built beside this one (same profile).
fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    let path = exe.with_file_name("woofer-test-server");
    assert!(
        path.exists(),
        "{} is missing: build with `cargo build --release -p woofer-tests`",
        path.display()
    );
    path
}

/// Resident set and its peak, in KiB, from /proc.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU seconds (user + system) the process has used so far, from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / per_second
}

/// Samples the server's resident set every 20 ms until dropped; keeps the peak.
struct MemoryWatch {
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl MemoryWatch {
    fn start(pid: u32) -> Self {
        let peak = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (p, s) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(memory_kib(pid).0, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        Self { peak, stop }
    }

    fn peak_mib(&self) -> f64 {
        self.peak.load(Ordering::Relaxed) as f64 / 1024.0
    }
}

impl Drop for MemoryWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn percentile_ms(micros: &mut [u32], p: f64) -> f64 {
    if micros.is_empty() {
        return 0.0;
    }
    micros.sort_unstable();
    let i = ((micros.len() as f64 - 1.0) * p).round() as usize;
    f64::from(micros[i]) / 1000.0
}

#[derive(Default)]
struct Latencies {
    micros: Vec<u32>,
    ok: u64,
    failed: u64,
    /// Paced requests only, those whose client was waiting for them: how
    /// long after it was due each was sent. The load generator's own
    /// lateness (its pacer, its share of the cores), which the latencies
    /// include; a client still busy with its last answer is the server's.
    late_micros: Vec<u32>,
}

impl Latencies {
    fn merge(&mut self, other: Latencies) {
        self.micros.extend(other.micros);
        self.late_micros.extend(other.late_micros);
        self.ok += other.ok;
        self.failed += other.failed;
    }

    /// Sends `request`, reads its answer, and counts it, its latency taken
    /// from `since`.
    async fn record(&mut self, request: reqwest::RequestBuilder, since: Instant) {
        let ok = match request.send().await {
            Ok(r) => {
                let good = r.status().is_success();
                let _ = r.bytes().await;
                good
            }
            Err(_) => false,
        };
        self.count(ok, since);
    }

    /// Counts one answered request, its latency taken from `since`.
    fn count(&mut self, ok: bool, since: Instant) {
        self.micros
            .push(since.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
        if ok {
            self.ok += 1;
        } else {
            self.failed += 1;
        }
    }

    fn percentile_ms(&mut self, p: f64) -> f64 {
        percentile_ms(&mut self.micros, p)
    }

    fn lateness_ms(&mut self, p: f64) -> f64 {
        percentile_ms(&mut self.late_micros, p)
    }
}

/// `clients` keep-alive connections, each sending `request` in a loop for `duration`.
async fn drive<F>(clients: Vec<Arc<ApiClient>>, duration: Duration, request: F) -> (Latencies, f64)
where
    F: Fn(&ApiClient, u64) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let request = Arc::new(request);
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for (c, client) in clients.into_iter().enumerate() {
        let request = request.clone();
        tasks.spawn(async move {
            let mut lat = Latencies::default();
            let mut n = c as u64 * 1_000_000_000;
            while Instant::now() < deadline {
                n += 1;
                let t = Instant::now();
                lat.record(request(&client, n), t).await;
            }
            lat
        });
    }
    let mut all = Latencies::default();
    while let Some(lat) = tasks.join_next().await {
        all.merge(lat.expect("driver task"));
    }
    (all, started.elapsed().as_secs_f64())
}

async fn dogs(base_url: &str, prefix: &str, n: usize) -> Vec<Arc<ApiClient>> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(Arc::new(
            ApiClient::registered(base_url, &format!("{prefix}{i}")).await,
        ));
    }
    out
}

/// `n` dogs named `prefix1` … `prefixN`, written straight into the
/// database (they cannot log in), unless the first of them exists.
async fn seed_dogs(pool: &AnyPool, backend: &Backend, prefix: &str, n: u64) {
    let (exists,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE username = $1")
        .bind(format!("{prefix}1"))
        .fetch_one(pool)
        .await
        .unwrap();
    if exists > 0 {
        return;
    }
    let sql = match backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {n}) \
             INSERT INTO users (username, password_hash, created_at) SELECT '{prefix}' || n, 'x', 1795633445 FROM s"
        ),
        Backend::Postgres { .. } => format!(
            "INSERT INTO users (username, password_hash, created_at) \
             SELECT '{prefix}' || n, 'x', 1795633445 FROM generate_series(1, {n}) AS n"
        ),
    };
    pool.execute(sql.as_str()).await.unwrap();
}

/// Folds SQLite's WAL into the main file, or vacuums, analyses and
/// checkpoints PostgreSQL, as a long-running database would be after a
/// bulk load (else the checkpointer works during the measurement).
async fn settle(pool: &AnyPool, backend: &Backend) {
    match backend {
        Backend::Sqlite => {
            let (busy, wal_frames, _): (i64, i64, i64) =
                sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                    .fetch_one(pool)
                    .await
                    .unwrap();
            eprintln!("checkpoint after seeding: busy={busy}, WAL frames left={wal_frames}");
        }
        Backend::Postgres { .. } => {
            pool.execute("VACUUM (ANALYZE)").await.unwrap();
            pool.execute("CHECKPOINT").await.unwrap();
        }
    }
}

/// Woofs written straight into the database, `total` in all, by 1,000 dogs
/// (the triggers push each into its author's and followers' timelines).
async fn seed(pool: &AnyPool, backend: &Backend, total: u64) -> f64 {
    let t = Instant::now();
    let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM woofs")
        .fetch_one(pool)
        .await
        .unwrap();
    let missing = total.saturating_sub(existing as u64);
    if missing == 0 {
        return 0.0;
    }
    seed_dogs(pool, backend, "seed_", 1000).await;
    let (first_dog,): (i64,) =
        sqlx::query_as("SELECT MIN(id) FROM users WHERE username LIKE 'seed_%'")
            .fetch_one(pool)
            .await
            .unwrap();
    match backend {
        Backend::Sqlite => {
            let sql = format!(
                "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {missing}) \
                 INSERT INTO woofs (author_id, body, created_at) \
                 SELECT {first_dog} + (n % 1000), 'Seeded woof number ' || n || ': squirrel spotted near the big oak 🐿️', 1795633445 + n FROM s"
            );
            pool.execute(sql.as_str()).await.unwrap();
        }
        Backend::Postgres { .. } => {
            // Row by row, the triggers rewrite each author's `users` row
            // once per woof (900,000 times for a million): over six minutes.
            // With the triggers off, their work is done here in bulk.
            let (newest,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM woofs")
                .fetch_one(pool)
                .await
                .unwrap();
            without_triggers(pool, &[
                format!(
                    "INSERT INTO woofs (author_id, body, created_at) \
                     SELECT {first_dog} + (n % 1000), 'Seeded woof number ' || n || ': squirrel spotted near the big oak 🐿️', 1795633445 + n \
                     FROM generate_series(1, {missing}) AS n"
                ),
                format!("INSERT INTO timeline (owner_id, woof_id) SELECT author_id, id FROM woofs WHERE id > {newest}"),
                format!(
                    "INSERT INTO timeline (owner_id, woof_id) SELECT f.follower_id, w.id \
                     FROM woofs w JOIN follows f ON f.followee_id = w.author_id WHERE w.id > {newest}"
                ),
                format!(
                    "UPDATE users SET woof_count = woof_count + s.n \
                     FROM (SELECT author_id, COUNT(*) AS n FROM woofs WHERE id > {newest} GROUP BY author_id) s \
                     WHERE users.id = s.author_id"
                ),
            ])
            .await;
        }
    }
    settle(pool, backend).await;
    t.elapsed().as_secs_f64()
}

/// Runs `statements` in one PostgreSQL transaction with triggers (and the
/// foreign-key checks, which are triggers too) off; the caller does their
/// work itself. Needs a superuser, as the benchmark's database admin is.
async fn without_triggers(pool: &AnyPool, statements: &[String]) {
    let mut tx = pool.begin().await.unwrap();
    tx.execute("SET LOCAL session_replication_role = replica")
        .await
        .unwrap();
    for sql in statements {
        tx.execute(sql.as_str()).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn count_woofs(pool: &AnyPool) -> i64 {
    sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM woofs")
        .fetch_one(pool)
        .await
        .unwrap()
        .0
}

/// Verifications per second with one thread per core at once: the real
/// ceiling, as parallel argon2 runs share memory bandwidth.
fn argon2_parallel_per_s(cores: usize) -> f64 {
    let window = Duration::from_secs(3);
    let started = Instant::now();
    let done: u64 = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores)
            .map(|_| {
                scope.spawn(|| {
                    let mut n = 0u64;
                    while started.elapsed() < window {
                        argon2_verify_once();
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    done as f64 / started.elapsed().as_secs_f64()
}

fn argon2_verify_once() {
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    let argon = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(19 * 1024, 2, 1, None).unwrap(),
    );
    let salt = SaltString::encode_b64(b"benchmark-salt!!").unwrap();
    thread_local! {
        static PHC: String = {
            let argon = argon2::Argon2::new(
                argon2::Algorithm::Argon2id,
                argon2::Version::V0x13,
                argon2::Params::new(19 * 1024, 2, 1, None).unwrap(),
            );
            let salt = SaltString::encode_b64(b"benchmark-salt!!").unwrap();
            argon.hash_password(b"correct horse", &salt).unwrap().to_string()
        };
    }
    let _ = salt;
    PHC.with(|phc| {
        argon
            .verify_password(b"correct horse", &PasswordHash::new(phc).unwrap())
            .unwrap()
    });
}

fn argon2_verify_ms() -> f64 {
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    let argon = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(19 * 1024, 2, 1, None).unwrap(),
    );
    let salt = SaltString::encode_b64(b"benchmark-salt!!").unwrap();
    let phc = argon
        .hash_password(b"correct horse", &salt)
        .unwrap()
        .to_string();
    let hash = PasswordHash::new(&phc).unwrap();
    let mut times: Vec<f64> = (0..15)
        .map(|_| {
            let t = Instant::now();
            argon.verify_password(b"correct horse", &hash).unwrap();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

#[tokio::main]
async fn main() {
    woofer_tests::install_crypto();
    sqlx::any::install_default_drivers();
    let args = parse_args();
    if args.stream {
        return stream_main(args).await;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let duration = Duration::from_secs(args.seconds);
    let data = TestData::create(&args.backend).await;
    let writers = args
        .writers
        .map_or(String::new(), |n| format!(",writer_connections={n}"));
    let databases = format!(
        r#"{{woofer={{url="{}",max_connections={}{writers}}}}}"#,
        data.database_url(),
        args.pool
    );
    let key = "3c".repeat(32);
    let server = ServerProcess::start(
        &server_binary(),
        data.dir(),
        &[
            ("ROCKET_DATABASES", &databases),
            ("ROCKET_SECRET_KEY", &key),
            ("ROCKET_LOG_LEVEL", "off"),
            // The bench's dogs all come from 127.0.0.1.
            ("ROCKET_REGISTRATIONS_PER_HOUR", "0"),
            // The registration flood says which address each attempt is from.
            ("ROCKET_CLIENT_IP_HEADER", "X-Real-IP"),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let pid = server.pid();
    let base = server.base_url().to_owned();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_mib = memory_kib(pid).0 as f64 / 1024.0;
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(2)
        .connect(data.database_url())
        .await
        .unwrap();

    let mut report = json!({
        "machine": {"cores": cores, "backend": args.backend.name()},
        "seconds_per_run": args.seconds,
        "server_idle_rss_mib": round(idle_mib),
    });
    eprintln!("server idle: {idle_mib:.1} MiB resident; driving {base}");

    // 1. Feed pages at each size, 16 connections.
    let readers = dogs(&base, "reader", 16).await;
    if args.writes_only {
        seed(&pool, &args.backend, args.sizes[0]).await;
    } else {
        // Warm-up, unmeasured: connections, statement caches, page cache.
        drive(readers.clone(), Duration::from_secs(2), |c, _| {
            c.request(reqwest::Method::GET, "/api/woofs")
        })
        .await;
        let home = home_readers(&base, &pool, &args.backend).await;
        let mut feed_rows = Vec::new();
        for &size in &args.sizes {
            let seeded_in = seed(&pool, &args.backend, size).await;
            let watch = MemoryWatch::start(pid);
            let cpu_before = cpu_seconds(pid);
            let (mut lat, secs) = drive(readers.clone(), duration, |c, _| {
                c.request(reqwest::Method::GET, "/api/woofs")
            })
            .await;
            let server_cpu = cpu_seconds(pid) - cpu_before;
            let row = json!({
                "woofs": size,
                "seeded_in_s": round(seeded_in),
                "requests": lat.ok,
                "failed": lat.failed,
                "req_per_s": round(lat.ok as f64 / secs),
                "p50_ms": round(lat.percentile_ms(0.50)),
                "p99_ms": round(lat.percentile_ms(0.99)),
                "server_peak_rss_mib": round(watch.peak_mib()),
                // The load generator shares the machine: what the server alone used.
                "server_cpu_share_pct": round(100.0 * server_cpu / (secs * cores as f64)),
                "server_cpu_us_per_request": round(1e6 * server_cpu / lat.ok.max(1) as f64),
                "server_alone_req_per_s_est": round(lat.ok as f64 / server_cpu.max(1e-9) * cores as f64),
            });
            let mut row = row;
            row["home_busy"] = page_rate(&home.busy, duration, "/api/timeline").await;
            row["home_rare"] = page_rate(&home.rare, duration, "/api/timeline").await;
            // The feed once more, after the timelines: run to run a shared
            // machine drifts by more than the difference being measured.
            row["feed_after_home"] = page_rate(&readers, duration, "/api/woofs").await;
            eprintln!("feed at {size} woofs: {row}");
            feed_rows.push(row);
        }
        report["feed"] = Value::Array(feed_rows);

        // 1b. The same pages once their woofs carry `--likes` likes.
        if args.likes > 0 {
            let seeded_in = seed_likes(&pool, &args.backend, args.likes).await;
            report["liked_page"] = json!({
                "likes_on_the_page": args.likes,
                "seeded_in_s": round(seeded_in),
                "feed": page_rate(&readers, duration, "/api/woofs").await,
                "home_busy": page_rate(&home.busy, duration, "/api/timeline").await,
            });
            eprintln!("pages with {} likes: {}", args.likes, report["liked_page"]);
        }
    }

    // 2. Posting, 16 dogs at once; every 201 must be stored.
    let posters = dogs(&base, "poster", 16).await;
    let before = count_woofs(&pool).await;
    let watch = MemoryWatch::start(pid);
    let cpu_before = cpu_seconds(pid);
    let (lat, secs) = drive(posters, duration, |c, n| {
        c.request(reqwest::Method::POST, "/api/woofs")
            .json(&json!({"body": format!("benchmark woof {n} 🐕")}))
    })
    .await;
    let server_cpu = cpu_seconds(pid) - cpu_before;
    let stored = count_woofs(&pool).await - before;
    report["posting"] = json!({
        "accepted": lat.ok,
        "failed": lat.failed,
        "woofs_per_s": round(lat.ok as f64 / secs),
        "stored": stored,
        "lost": lat.ok as i64 - stored,
        // What a write costs the server, whatever else the machine ran.
        "server_cpu_us_per_woof": round(1e6 * server_cpu / lat.ok.max(1) as f64),
        "server_peak_rss_mib": round(watch.peak_mib()),
    });
    eprintln!("posting: {}", report["posting"]);

    // 2b. Posts and likes together at a fixed `--write-rate`: half the
    // clients post, half like woofs picked across the newest 100,000.
    let writers = dogs(&base, "writer", 16).await;
    let (newest,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 1) FROM woofs")
        .fetch_one(&pool)
        .await
        .unwrap();
    let watch = MemoryWatch::start(pid);
    let cpu_before = cpu_seconds(pid);
    let own_cpu_before = cpu_seconds(std::process::id());
    let (mut lat, secs) = drive_paced(&base, &writers, duration, args.write_rate, move |n| {
        let client = n / 1_000_000_000;
        if client % 2 == 0 {
            let body = json!({"body": format!("paced woof {n} 🐕")}).to_string();
            ("POST", "/api/woofs".to_owned(), Some(body))
        } else {
            // A cheap scramble of n: a different woof each time, no crate needed.
            let pick = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
            let id = (newest - (pick % 100_000) as i64).max(1);
            ("PUT", format!("/api/woofs/{id}/like"), None)
        }
    })
    .await;
    let server_cpu = cpu_seconds(pid) - cpu_before;
    let own_cpu = cpu_seconds(std::process::id()) - own_cpu_before;
    report["paced_writes"] = json!({
        "asked_per_s": args.write_rate,
        "done_per_s": round(lat.ok as f64 / secs),
        "failed": lat.failed,
        "p50_ms": round(lat.percentile_ms(0.50)),
        "p99_ms": round(lat.percentile_ms(0.99)),
        "p999_ms": round(lat.percentile_ms(0.999)),
        "sent_late_p50_ms": round(lat.lateness_ms(0.50)),
        "sent_late_p99_ms": round(lat.lateness_ms(0.99)),
        "server_cpu_us_per_write": round(1e6 * server_cpu / lat.ok.max(1) as f64),
        // The load generator's own share of the same two cores.
        "generator_cpu_us_per_write": round(1e6 * own_cpu / lat.ok.max(1) as f64),
        "server_peak_rss_mib": round(watch.peak_mib()),
    });
    eprintln!("posts and likes, paced: {}", report["paced_writes"]);

    if !args.writes_only {
        // 3. Logins: 64 clients alone, for the rate; then 64 clients again
        // beside one feed reader, for the feed's latency under a login storm.
        let verify_ms = argon2_verify_ms();
        let limit = cores as f64 * 1000.0 / verify_ms;
        let parallel = argon2_parallel_per_s(cores);
        // Eight dogs, eight clients each: the login lock counts attempts in
        // flight against a name (at most ten), so one name for all 64 would
        // measure the lock, not the hashing.
        for dog in 0..8 {
            ApiClient::registered(&base, &format!("loginbench{dog}")).await;
        }
        let login = |c: &ApiClient, n: u64| {
            // `drive` numbers client c's requests from c × 10⁹: client c logs in as dog c mod 8.
            let dog = n / 1_000_000_000 % 8;
            c.request(reqwest::Method::POST, "/api/session")
                .json(&json!({"username": format!("loginbench{dog}"), "password": "correct horse"}))
        };
        let login_clients = || {
            (0..64)
                .map(|_| Arc::new(ApiClient::new(&base)))
                .collect::<Vec<_>>()
        };
        let watch = MemoryWatch::start(pid);
        let (login_lat, secs) = drive(login_clients(), duration, login).await;
        let per_s = login_lat.ok as f64 / secs;
        let storm = tokio::spawn(drive(login_clients(), duration, login));
        let (mut feed_lat, feed_secs) = drive(vec![readers[0].clone()], duration, |c, _| {
            c.request(reqwest::Method::GET, "/api/woofs")
        })
        .await;
        let (storm_lat, _) = storm.await.unwrap();
        report["logins"] = json!({
            "argon2_verify_ms": round(verify_ms),
            "cores": cores,
            "limit_per_s": round(limit),
            "logins_per_s": round(per_s),
            "of_limit_pct": round(100.0 * per_s / limit),
            "argon2_parallel_per_s": round(parallel),
            "failed": login_lat.failed + storm_lat.failed,
            "feed_p99_ms_meanwhile": round(feed_lat.percentile_ms(0.99)),
            "feed_req_per_s_meanwhile": round(feed_lat.ok as f64 / feed_secs),
            "server_peak_rss_mib": round(watch.peak_mib()),
        });
        eprintln!("logins: {}", report["logins"]);

        // 4. A flood: 500 registration attempts at once, each from an address
        // of its own, beside one feed reader. Past the hash line they get 503
        // at once; the feed must not notice and memory must stay bounded.
        let watch = MemoryWatch::start(pid);
        // One client for all 500, so building HTTP clients does not load the
        // generator (and starve its feed reader) instead of the server.
        let flooder = Arc::new(ApiClient::new(&base));
        let flood_started = Instant::now();
        let flood = tokio::spawn(async move {
            let attempts: Vec<_> = (0..500u32)
                .map(|i| {
                    let client = flooder.clone();
                    tokio::spawn(async move {
                        let address = format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255);
                        let request = client
                            .request(reqwest::Method::POST, "/api/users")
                            .header("X-Real-IP", address)
                            .json(
                                &json!({"username": format!("flood{i}"), "password": "correct horse"}),
                            );
                        client.send(request).await.status.as_u16()
                    })
                })
                .collect();
            let mut statuses = Vec::new();
            for attempt in attempts {
                statuses.push(attempt.await.unwrap_or(0));
            }
            (statuses, flood_started.elapsed().as_secs_f64())
        });
        let (mut flood_feed, _) = drive(vec![readers[0].clone()], duration, |c, _| {
            c.request(reqwest::Method::GET, "/api/woofs")
        })
        .await;
        let (statuses, flood_secs) = flood.await.unwrap();
        let count = |code: u16| statuses.iter().filter(|&&s| s == code).count();
        report["registration_flood"] = json!({
            "attempts": statuses.len(),
            "created": count(201),
            "unavailable_503": count(503),
            "other": statuses.len() - count(201) - count(503),
            "seconds": round(flood_secs),
            "feed_p99_ms_meanwhile": round(flood_feed.percentile_ms(0.99)),
            "server_peak_rss_mib": round(watch.peak_mib()),
        });
        eprintln!("registration flood: {}", report["registration_flood"]);
    }
    report["server_lifetime_peak_rss_mib"] = json!(round(memory_kib(pid).1 as f64 / 1024.0));
    drop(server);

    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap());
    } else {
        print_table(&report);
    }
}

/// `--stream`: memory per idle listener, fan-out latency, and the feed
/// beside 1,000 listeners.
async fn stream_main(args: Args) {
    stream::raise_descriptor_limit();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let data = TestData::create(&args.backend).await;
    let databases = format!(
        r#"{{woofer={{url="{}",max_connections={}}}}}"#,
        data.database_url(),
        args.pool
    );
    let key = "3c".repeat(32);
    let env = [
        ("ROCKET_DATABASES", databases.as_str()),
        ("ROCKET_SECRET_KEY", key.as_str()),
        ("ROCKET_LOG_LEVEL", "off"),
        ("ROCKET_REGISTRATIONS_PER_HOUR", "0"),
    ];
    let instances = match args.backend {
        Backend::Sqlite => 1,
        Backend::Postgres { .. } => 2,
    };
    let servers: Vec<ServerProcess> = (0..instances)
        .map(|_| {
            ServerProcess::start(&server_binary(), data.dir(), &env)
                .unwrap_or_else(|e| panic!("{e}"))
        })
        .collect();
    let bases: Vec<String> = servers.iter().map(|s| s.base_url().to_owned()).collect();
    let pids: Vec<u32> = servers.iter().map(|s| s.pid()).collect();
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(2)
        .connect(data.database_url())
        .await
        .unwrap();
    seed(&pool, &args.backend, 1_000).await;
    let cookies = stream::session_cookies(&bases[0]).await;
    let poster = Arc::new(ApiClient::registered(&bases[0], "poster").await);

    let memory = stream::idle_memory(&bases[..1], &pids[..1], &cookies, &[1_000, 10_000]).await;
    let fanout = stream::fanout(&bases, &cookies, &poster, 1_000).await;
    let readers = dogs(&bases[0], "reader", 16).await;
    let feed = stream::feed_beside_listeners(
        &bases[0],
        pids[0],
        &cookies,
        &readers,
        poster.clone(),
        1_000,
        Duration::from_secs(args.seconds),
    )
    .await;
    let report = json!({
        "machine": {"cores": cores, "backend": args.backend.name(), "instances": instances},
        "idle_listeners_one_instance": memory,
        "fanout": fanout,
        "feed_beside_listeners": feed,
    });
    drop(servers);
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
}

/// Like [`drive`], but each client sends at a fixed pace, so that together
/// they ask for `rate` requests a second; a request's latency counts from
/// when it was due, so a stall shows in the tail instead of slowing the
/// clients down (no coordinated omission).
///
/// The due times are kept by a thread of their own, which sleeps to each
/// one and rings its client: tokio's timers fire on whole milliseconds, up
/// to two late, and that lateness would count in every latency measured
/// from the due time (docs/benchmarks.md, "The write tail, taken apart").
async fn drive_paced<F>(
    base_url: &str,
    dogs: &[Arc<ApiClient>],
    duration: Duration,
    rate: u64,
    request: F,
) -> (Latencies, f64)
where
    F: Fn(u64) -> (&'static str, String, Option<String>) + Send + Sync + 'static,
{
    let request = Arc::new(request);
    let mut clients = Vec::new();
    for dog in dogs {
        let session = dog.session_cookie_in_jar();
        let connection = keep_alive::KeepAlive::open(base_url, &session).await;
        clients.push(connection.expect("a connection to the server"));
    }
    let count = clients.len();
    let started = Instant::now();
    let deadline = started + duration;
    // Request k of all of them is due at k / rate; it is client k mod count's.
    let due = move |k: usize| started + Duration::from_secs_f64(k as f64 / rate.max(1) as f64);
    let bells: Arc<Vec<tokio::sync::Notify>> =
        Arc::new((0..count).map(|_| tokio::sync::Notify::new()).collect());
    let pacer = {
        let bells = bells.clone();
        std::thread::spawn(move || {
            for k in 0.. {
                let at = due(k);
                if at >= deadline {
                    break;
                }
                std::thread::sleep(at.saturating_duration_since(Instant::now()));
                bells[k % count].notify_one();
            }
        })
    };
    let mut tasks = tokio::task::JoinSet::new();
    for (c, mut client) in clients.into_iter().enumerate() {
        let request = request.clone();
        let bells = bells.clone();
        tasks.spawn(async move {
            let mut lat = Latencies::default();
            let mut n = c as u64 * 1_000_000_000;
            let mut k = c;
            while due(k) < deadline {
                let at = due(k);
                if Instant::now() < at {
                    // A ring kept from a due time this client was too busy
                    // to wait for wakes it early: it waits again.
                    while Instant::now() < at {
                        bells[c].notified().await;
                    }
                    let late = at.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                    lat.late_micros.push(late);
                }
                n += 1;
                let (method, path, body) = request(n);
                let answer = client.send(method, &path, body.as_deref()).await;
                lat.count(matches!(answer, Ok(200..=299)), at);
                if answer.is_err() {
                    break;
                }
                k += count;
            }
            lat
        });
    }
    let mut all = Latencies::default();
    while let Some(lat) = tasks.join_next().await {
        all.merge(lat.expect("driver task"));
    }
    pacer.join().expect("pacer thread");
    (all, started.elapsed().as_secs_f64())
}

/// `sessions` clients logged in as `name` (password `correct horse`).
async fn sessions_of(base_url: &str, name: &str, sessions: usize) -> Vec<Arc<ApiClient>> {
    let mut out = Vec::new();
    for _ in 0..sessions {
        let client = ApiClient::new(base_url);
        let r = client.login(name, "correct horse").await;
        assert!(r.status.is_success(), "log in {name}: {}", r.text);
        out.push(Arc::new(client));
    }
    out
}

/// The two home timelines the issue names: a dog following a thousand busy
/// dogs (every seeded woof is theirs), and a dog following one dog whose
/// only woof is older than everything seeded.
struct HomeReaders {
    busy: Vec<Arc<ApiClient>>,
    rare: Vec<Arc<ApiClient>>,
}

async fn home_readers(base: &str, pool: &AnyPool, backend: &Backend) -> HomeReaders {
    seed_dogs(pool, backend, "seed_", 1000).await;
    ApiClient::registered(base, "busyreader").await;
    let rare = ApiClient::registered(base, "rarereader").await;
    let hermit = ApiClient::registered(base, "hermit").await;
    hermit.post_woof("The only woof of a quiet dog.").await;
    rare.put("/api/users/hermit/follow").await;
    // A thousand follows straight into the table (the API's trigger runs
    // all the same); a thousand PUTs would only take longer.
    sqlx::query(
        "INSERT INTO follows (follower_id, followee_id, created_at) \
         SELECT b.id, s.id, 1795633445 FROM users b, users s \
         WHERE b.username = 'busyreader' AND s.username LIKE 'seed_%'",
    )
    .execute(pool)
    .await
    .unwrap();
    HomeReaders {
        busy: sessions_of(base, "busyreader", 16).await,
        rare: sessions_of(base, "rarereader", 16).await,
    }
}

/// Pages of `path` read by `clients` for `duration`: req/s, p50, p99.
async fn page_rate(clients: &[Arc<ApiClient>], duration: Duration, path: &'static str) -> Value {
    let (mut lat, secs) = drive(clients.to_vec(), duration, move |c, _| {
        c.request(reqwest::Method::GET, path)
    })
    .await;
    json!({
        "req_per_s": round(lat.ok as f64 / secs),
        "p50_ms": round(lat.percentile_ms(0.50)),
        "p99_ms": round(lat.percentile_ms(0.99)),
        "failed": lat.failed,
    })
}

/// `total` likes on the newest page of woofs (20 woofs), by as many seeded
/// dogs as that takes.
async fn seed_likes(pool: &AnyPool, backend: &Backend, total: u64) -> f64 {
    let t = Instant::now();
    let likers = total.div_ceil(20);
    seed_dogs(pool, backend, "liker_", likers).await;
    let insert = "INSERT INTO likes (woof_id, user_id, created_at) \
         SELECT w.id, u.id, 1795633445 \
         FROM (SELECT id FROM woofs ORDER BY id DESC LIMIT 20) w \
         CROSS JOIN (SELECT id FROM users WHERE username LIKE 'liker_%') u";
    match backend {
        Backend::Sqlite => {
            pool.execute(insert).await.unwrap();
        }
        Backend::Postgres { .. } => {
            // A trigger per like would rewrite the same 20 rows a million
            // times in one transaction; the counts are set in bulk instead.
            without_triggers(
                pool,
                &[
                    insert.to_owned(),
                    "UPDATE woofs SET like_count = s.n \
                 FROM (SELECT woof_id, COUNT(*) AS n FROM likes GROUP BY woof_id) s \
                 WHERE woofs.id = s.woof_id"
                        .to_owned(),
                ],
            )
            .await;
        }
    }
    settle(pool, backend).await;
    t.elapsed().as_secs_f64()
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn print_table(r: &Value) {
    println!(
        "Woofer benchmark — {} cores, {}, {} s per run",
        r["machine"]["cores"], r["machine"]["backend"], r["seconds_per_run"]
    );
    let no_rows = Vec::new();
    let feed = r["feed"].as_array().unwrap_or(&no_rows);
    if !feed.is_empty() {
        print_feed_tables(feed);
    }
    let liked = &r["liked_page"];
    if !liked.is_null() {
        println!(
            "with {} likes on the page: feed {} req/s (p99 {} ms), busy home {} req/s (p99 {} ms)",
            liked["likes_on_the_page"],
            liked["feed"]["req_per_s"],
            liked["feed"]["p99_ms"],
            liked["home_busy"]["req_per_s"],
            liked["home_busy"]["p99_ms"]
        );
    }
    let p = &r["posting"];
    println!();
    println!(
        "posting: {} woofs/s, {} accepted, {} stored, {} lost, {} failed, peak {} MiB",
        p["woofs_per_s"],
        p["accepted"],
        p["stored"],
        p["lost"],
        p["failed"],
        p["server_peak_rss_mib"]
    );
    let w = &r["paced_writes"];
    println!(
        "posts and likes paced at {} /s: {} /s done, {} failed, p50 {} ms, p99 {} ms, p99.9 {} ms",
        w["asked_per_s"], w["done_per_s"], w["failed"], w["p50_ms"], w["p99_ms"], w["p999_ms"]
    );
    let l = &r["logins"];
    if !l.is_null() {
        println!(
            "logins: {} /s of a limit of {} /s ({} cores / {} ms per argon2id verify) = {} %; feed p99 meanwhile {} ms; peak {} MiB",
            l["logins_per_s"], l["limit_per_s"], l["cores"], l["argon2_verify_ms"], l["of_limit_pct"], l["feed_p99_ms_meanwhile"], l["server_peak_rss_mib"]
        );
        let f = &r["registration_flood"];
        println!(
            "registration flood: {} attempts at once from as many addresses: {} created, {} answered 503, {} other, in {} s; feed p99 meanwhile {} ms; peak {} MiB",
            f["attempts"], f["created"], f["unavailable_503"], f["other"], f["seconds"], f["feed_p99_ms_meanwhile"], f["server_peak_rss_mib"]
        );
        println!(
            "argon2id verifications with {} threads at once: {} /s",
            l["cores"], l["argon2_parallel_per_s"]
        );
    }
    println!(
        "server memory: idle {} MiB, lifetime peak {} MiB",
        r["server_idle_rss_mib"], r["server_lifetime_peak_rss_mib"]
    );
}

fn print_feed_tables(feed: &[Value]) {
    println!();
    println!("| woofs | feed req/s | p50 ms | p99 ms | failed | server CPU % | server µs/req | server-alone est. req/s | server peak MiB |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in feed {
        let cells: Vec<String> = [
            "woofs",
            "req_per_s",
            "p50_ms",
            "p99_ms",
            "failed",
            "server_cpu_share_pct",
            "server_cpu_us_per_request",
            "server_alone_req_per_s_est",
            "server_peak_rss_mib",
        ]
        .iter()
        .map(|k| row[k].to_string())
        .collect();
        println!("| {} |", cells.join(" | "));
    }
    println!();
    println!("| woofs | feed req/s (before / after the timelines) | home, busy follower: req/s (p99 ms) | home, rare follower: req/s (p99 ms) |");
    println!("| ---: | ---: | ---: | ---: |");
    for row in feed {
        println!(
            "| {} | {} / {} | {} ({}) | {} ({}) |",
            row["woofs"],
            row["req_per_s"],
            row["feed_after_home"]["req_per_s"],
            row["home_busy"]["req_per_s"],
            row["home_busy"]["p99_ms"],
            row["home_rare"]["req_per_s"],
            row["home_rare"]["p99_ms"]
        );
    }
}
