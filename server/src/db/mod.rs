//! The `woofer` database: one pool type for SQLite or PostgreSQL, chosen by
//! the URL in `[default.databases.woofer]`, and the migrations for each.

use std::borrow::Cow;
use std::time::Duration;

use rocket::fairing::{self, AdHoc};
use rocket::figment::Figment;
use rocket::{Build, Rocket};
use rocket_db_pools::Database;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};

mod group_commit;

use group_commit::GroupCommit;
pub use group_commit::{AfterCommit, Value, Write, Written};

/// The pools behind [`Db`]: sqlx's `AnyPool`, so one binary serves either
/// database. It derefs to the pool for reads; writes go to [`Self::writer`].
pub struct AnyDbPool {
    readers: AnyPool,
    writer: Writer,
}

/// Where writes go: a pool (it derefs to it), and on SQLite a line to the
/// group commit for the busiest writes ([`Writer::write`]).
#[derive(Clone)]
pub struct Writer {
    pool: AnyPool,
    group: Option<GroupCommit>,
}

impl Writer {
    /// Stores one statement: on SQLite with the writes waiting beside it,
    /// in one commit; on PostgreSQL, which commits in parallel, alone.
    pub async fn write(&self, write: Write) -> sqlx::Result<Written> {
        self.write_then(write, None).await
    }

    /// As [`Self::write`], and `then` runs as soon as the write is
    /// committed: on SQLite in the order of the commits, before any later
    /// write's `then`.
    pub async fn write_then(
        &self,
        write: Write,
        then: Option<AfterCommit>,
    ) -> sqlx::Result<Written> {
        match &self.group {
            Some(group) => group.write(write, then).await,
            None => {
                let written = group_commit::run(&mut *self.pool.acquire().await?, &write).await?;
                if let Some(then) = then {
                    then(&written);
                }
                Ok(written)
            }
        }
    }
}

impl std::ops::Deref for Writer {
    type Target = AnyPool;
    fn deref(&self) -> &AnyPool {
        &self.pool
    }
}

impl std::ops::Deref for AnyDbPool {
    type Target = AnyPool;
    fn deref(&self) -> &AnyPool {
        &self.readers
    }
}

/// Pages in SQLite's write-ahead log past which a commit copies them back
/// into the database file (a checkpoint) before it returns, while the writes
/// behind it wait. The wait grows with the pages copied and synced: at
/// SQLite's default of 1,000 it was a 3–7 ms stall every 50 ms at 5,000
/// writes/s, the whole of the writes' p99; at 250, a quarter of the stall
/// four times as often, which the p99 no longer sees
/// (docs/benchmarks.md, "The write tail, taken apart").
pub const SQLITE_CHECKPOINT_PAGES: u32 = 250;

/// SQLite's writer pool size unless `writer_connections` (in
/// `[databases.woofer]`) says otherwise; `0` shares the readers' pool.
/// Two kept posts and likes under a 10 ms p99 up to 4,000 writes/s on two
/// cores, where sixteen writers sharing the readers' pool reached 56 ms and
/// one writer 163 ms (docs/benchmarks.md, "Where the tail starts").
pub const SQLITE_WRITER_CONNECTIONS: u32 = 2;

impl AnyDbPool {
    /// Where every statement that writes goes. On SQLite it may be a pool
    /// of its own (`writer_connections`), so that most writers wait for it
    /// in order, in the server, instead of in SQLite's busy handler, which
    /// sleeps 1, 2, 5 … 100 ms between tries; two connections, so that one
    /// prepares its write while the other commits. On PostgreSQL it is
    /// always the readers' pool.
    pub fn writer(&self) -> &Writer {
        &self.writer
    }
}

#[derive(Database)]
#[database("woofer")]
pub struct Db(AnyDbPool);

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Self::Postgres)
        } else {
            None
        }
    }
}

/// Why the database could not be opened, said with the URL (password hidden).
#[derive(Debug, thiserror::Error)]
pub enum DbInitError {
    #[error("database `woofer` is not configured: {0}")]
    Config(Box<rocket::figment::Error>),
    #[error("database URL {0} names neither sqlite:// nor postgres://")]
    UnknownBackend(String),
    #[error("cannot create the directory for database {url}: {source}")]
    CreateDir { url: String, source: std::io::Error },
    #[error("cannot open database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
}

impl From<rocket::figment::Error> for DbInitError {
    fn from(e: rocket::figment::Error) -> Self {
        Self::Config(Box::new(e))
    }
}

/// The configured database, checked: its settings, connect options, and
/// its URL as it may be shown (password hidden).
struct Target {
    config: rocket_db_pools::Config,
    backend: Backend,
    options: AnyConnectOptions,
    shown: String,
}

impl Target {
    fn of(figment: &Figment) -> Result<Self, DbInitError> {
        sqlx::any::install_default_drivers();
        let config: rocket_db_pools::Config = figment.extract()?;
        let shown = redact_url(&config.url);
        let backend = Backend::of_url(&config.url)
            .ok_or_else(|| DbInitError::UnknownBackend(shown.clone()))?;
        if backend == Backend::Sqlite {
            let dir = sqlite_path(&config.url).and_then(|p| p.parent().map(|d| d.to_owned()));
            if let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
                create_private_dir(&dir).map_err(|source| DbInitError::CreateDir {
                    url: shown.clone(),
                    source,
                })?;
            }
        }
        let options = with_create_mode(&config.url, backend)
            .parse::<AnyConnectOptions>()
            .map_err(|source| DbInitError::Open {
                url: shown.clone(),
                source,
            })?
            .disable_statement_logging();
        Ok(Self {
            config,
            backend,
            options,
            shown,
        })
    }

    /// One connection, opened and closed: a pool would only report a
    /// timeout, while this says why (refused, unknown host, bad password…).
    async fn probe(&self) -> Result<(), DbInitError> {
        let open = |source| DbInitError::Open {
            url: self.shown.clone(),
            source,
        };
        sqlx::AnyConnection::connect_with(&self.options)
            .await
            .map_err(open)?
            .close()
            .await
            .map_err(open)
    }
}

/// Checks, before the server starts, that the database `woofer` (the
/// figment focused on `databases.woofer`) can be opened.
pub async fn preflight(figment: &Figment) -> Result<(), DbInitError> {
    Target::of(figment)?.probe().await
}

#[rocket::async_trait]
impl rocket_db_pools::Pool for AnyDbPool {
    type Connection = sqlx::pool::PoolConnection<sqlx::Any>;
    type Error = DbInitError;

    async fn init(figment: &Figment) -> Result<Self, Self::Error> {
        let target = Target::of(figment)?;
        target.probe().await?;
        let Target {
            config,
            backend,
            options,
            shown,
        } = target;
        let open = |max_connections: u32| {
            pool_options(&config, backend)
                .max_connections(max_connections)
                .connect_with(options.clone())
        };
        let readers = open(config.max_connections as u32)
            .await
            .map_err(|source| DbInitError::Open {
                url: shown.clone(),
                source,
            })?;
        let writers = match backend {
            Backend::Sqlite => figment
                .extract_inner::<u32>("writer_connections")
                .unwrap_or(SQLITE_WRITER_CONNECTIONS),
            Backend::Postgres => 0,
        };
        let pool = match writers {
            0 => readers.clone(),
            n => open(n).await.map_err(|source| DbInitError::Open {
                url: shown.clone(),
                source,
            })?,
        };
        let group = (backend == Backend::Sqlite).then(|| GroupCommit::start(pool.clone()));
        let writer = Writer { pool, group };
        Ok(Self { readers, writer })
    }

    async fn get(&self) -> Result<Self::Connection, Self::Error> {
        self.readers
            .acquire()
            .await
            .map_err(|source| DbInitError::Open {
                url: "woofer".into(),
                source,
            })
    }

    async fn close(&self) {
        self.writer.close().await;
        self.readers.close().await;
    }
}

/// The settings every pool of the database shares, from the configuration,
/// with SQLite's connections tuned as they open.
fn pool_options(config: &rocket_db_pools::Config, backend: Backend) -> AnyPoolOptions {
    AnyPoolOptions::new()
        // A ping before each use finds a PostgreSQL connection the server
        // or the network dropped. A SQLite connection is a file handle on
        // a thread of sqlx's: its ping is only one more round trip to that
        // thread, on every statement's way in.
        .test_before_acquire(backend == Backend::Postgres)
        .min_connections(config.min_connections.unwrap_or(0))
        .acquire_timeout(Duration::from_secs(config.connect_timeout))
        .idle_timeout(config.idle_timeout.map(Duration::from_secs))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                if conn.backend_name() == "SQLite" {
                    // WAL lets readers run beside the one writer; the busy
                    // timeout covers writers the writer pool cannot order
                    // (another process on the file, the sqlite3 tool).
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA synchronous = NORMAL").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute(
                        format!("PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES}").as_str(),
                    )
                    .await?;
                } else {
                    // Every query is a prepared statement whose parameters
                    // are a cursor, a limit and ids. PostgreSQL's default
                    // (`auto`) judged the generic plan of the pages dearer
                    // than a plan made for the values and so planned the
                    // feed and the timeline afresh on every execution: half
                    // of each page's cost (docs/benchmarks.md). The generic
                    // plans walk the same indexes.
                    conn.execute("SET plan_cache_mode = force_generic_plan")
                        .await?;
                    // A generic plan's cost is estimated for any cursor, so
                    // a page of much-liked woofs crossed the JIT threshold
                    // and spent 17 ms compiling a 0.2 ms query, each time.
                    conn.execute("SET jit = off").await?;
                }
                Ok(())
            })
        })
}

/// The data directory holds password hashes and the secret key: owner only.
pub fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// The file an `sqlite://` URL names, if it names one.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(path.into())
    }
}

/// SQLite opens read-write-create unless the URL says otherwise, so a fresh
/// machine gets its database file on first start.
fn with_create_mode(url: &str, backend: Backend) -> String {
    if backend != Backend::Sqlite || url.contains("mode=") {
        return url.to_owned();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}mode=rwc")
}

/// The URL with any password replaced, fit for logs and error messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

fn migrator(backend: Backend) -> Migrator {
    migrator_until(backend, i64::MAX)
}

/// The migrations up to `version`: a database as an older release left it,
/// for the tests that upgrade one.
pub fn migrator_until(backend: Backend, version: i64) -> Migrator {
    let files: &[(i64, &str, &str)] = match backend {
        Backend::Sqlite => &[
            (
                1,
                "initial",
                include_str!("../../migrations/sqlite/0001_initial.sql"),
            ),
            (
                2,
                "session details",
                include_str!("../../migrations/sqlite/0002_session_details.sql"),
            ),
            (
                3,
                "registrations",
                include_str!("../../migrations/sqlite/0003_registrations.sql"),
            ),
            (
                4,
                "following, likes and replies",
                include_str!("../../migrations/sqlite/0004_social.sql"),
            ),
            (
                5,
                "registration claims",
                include_str!("../../migrations/sqlite/0005_registration_claims.sql"),
            ),
        ],
        Backend::Postgres => &[
            (
                1,
                "initial",
                include_str!("../../migrations/postgres/0001_initial.sql"),
            ),
            (
                2,
                "session details",
                include_str!("../../migrations/postgres/0002_session_details.sql"),
            ),
            (
                3,
                "registrations",
                include_str!("../../migrations/postgres/0003_registrations.sql"),
            ),
            (
                4,
                "following, likes and replies",
                include_str!("../../migrations/postgres/0004_social.sql"),
            ),
            (
                5,
                "registration claims",
                include_str!("../../migrations/postgres/0005_registration_claims.sql"),
            ),
        ],
    };
    let migrations = files
        .iter()
        .filter(|&&(v, _, _)| v <= version)
        .map(|&(version, name, sql)| {
            Migration::new(
                version,
                Cow::Borrowed(name),
                MigrationType::Simple,
                Cow::Borrowed(sql),
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

async fn run_migrations(rocket: Rocket<Build>) -> fairing::Result {
    let Some(db) = Db::fetch(&rocket) else {
        return Err(rocket);
    };
    let url: String = rocket
        .figment()
        .extract_inner("databases.woofer.url")
        .unwrap_or_default();
    let Some(backend) = Backend::of_url(&url) else {
        return Err(rocket);
    };
    match migrator(backend).run(&**db.writer()).await {
        Ok(()) => Ok(rocket),
        Err(e) => {
            rocket::error!("database migrations failed on {}: {e}", redact_url(&url));
            Err(rocket)
        }
    }
}

/// A migrated SQLite database in memory, for unit tests of the SQL. One
/// connection: each in-memory connection would be a database of its own.
#[cfg(test)]
pub(crate) async fn scratch_sqlite() -> AnyPool {
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("an in-memory SQLite database");
    migrator(Backend::Sqlite)
        .run(&pool)
        .await
        .expect("migrations run");
    pool
}

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Database", |rocket| async {
        rocket
            .attach(Db::init())
            .attach(AdHoc::try_on_ignite("Database migrations", run_migrations))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_by_scheme() {
        assert_eq!(
            Backend::of_url("sqlite://data/w.db?mode=rwc"),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::of_url("postgres://u@h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of_url("mysql://u@h/db"), None);
    }

    #[test]
    fn sqlite_path_strips_scheme_and_query() {
        assert_eq!(
            sqlite_path("sqlite://data/w.db?mode=rwc"),
            Some("data/w.db".into())
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://dog:secret@db:5432/w"),
            "postgres://dog:***@db:5432/w"
        );
        assert_eq!(redact_url("postgres://dog@db/w"), "postgres://dog@db/w");
    }
}
