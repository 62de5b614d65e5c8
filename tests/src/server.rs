//! The real Woofer server (`woofer_server::rocket_with`), listening on an
//! ephemeral port of 127.0.0.1 with a database of its own.

use std::path::Path;
use std::time::Duration;

use rocket::figment::Figment;
use tokio::sync::oneshot;
use woofer_server::token::random_hex;

/// Which database a test server runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database created on the server named by `WOOFER_TEST_POSTGRES_URL`
    /// (its `postgres` maintenance database), dropped afterwards.
    Postgres { admin_url: String },
}

impl Backend {
    /// PostgreSQL when `WOOFER_TEST_POSTGRES_URL` is set, else `None`.
    pub fn postgres_from_env() -> Option<Self> {
        std::env::var("WOOFER_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
            .map(|admin_url| Self::Postgres { admin_url })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres { .. } => "postgres",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub backend: Backend,
    /// Seconds a session lasts.
    pub session_lifetime: i64,
    /// 64 hex digits; a random one when `None`.
    pub secret_key: Option<String>,
    pub cookie_secure: bool,
    /// Password hashes at once, and how many more may wait (the server's
    /// defaults when `None`).
    pub hash_concurrency: Option<usize>,
    pub hash_queue: Option<usize>,
    /// Registrations per client address per hour (the server's 60 when `None`).
    pub registrations_per_hour: Option<i64>,
    /// The proxy header the server trusts for a client's address (none when `None`).
    pub client_ip_header: Option<String>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            backend: Backend::Sqlite,
            session_lifetime: 3600,
            secret_key: None,
            cookie_secure: false,
            hash_concurrency: None,
            hash_queue: None,
            registrations_per_hour: None,
            client_ip_header: None,
        }
    }
}

/// Where a test server keeps its data; removed when the last server using it goes.
pub struct TestData {
    dir: tempfile::TempDir,
    database_url: String,
    postgres: Option<(String, String)>,
}

impl TestData {
    pub async fn create(backend: &Backend) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        match backend {
            Backend::Sqlite => {
                let database_url = format!("sqlite://{}", dir.path().join("woofer.db").display());
                Self {
                    dir,
                    database_url,
                    postgres: None,
                }
            }
            Backend::Postgres { admin_url } => {
                let name = format!("woofer_test_{}", random_hex(8));
                let mut admin = connect_admin(admin_url).await;
                sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                let database_url = with_database(admin_url, &name);
                Self {
                    dir,
                    database_url,
                    postgres: Some((admin_url.clone(), name)),
                }
            }
        }
    }

    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

async fn connect_admin(admin_url: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach WOOFER_TEST_POSTGRES_URL: {e}"))
}

/// `admin_url` with its database path replaced by `name`.
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url
        .split_once('?')
        .map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut url = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

impl Drop for TestData {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.postgres.take() {
            // Drop runs outside any runtime we may block: use a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    let mut admin = connect_admin(&admin_url).await;
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::Executor::execute(&mut admin, sql.as_str()).await;
                });
            })
            .join();
        }
    }
}

/// A running server. Dropping it stops the server (and removes its data
/// unless the data is shared with another server).
pub struct TestServer {
    base_url: String,
    shutdown: rocket::Shutdown,
    task: Option<tokio::task::JoinHandle<()>>,
    data: std::sync::Arc<TestData>,
    options: ServerOptions,
    routes: Vec<(String, String)>,
}

impl TestServer {
    /// A server on fresh data.
    pub async fn start(options: ServerOptions) -> Self {
        let data = std::sync::Arc::new(TestData::create(&options.backend).await);
        Self::start_on(options, data).await
    }

    /// A server on the data of another (a restart, or a second instance).
    pub async fn start_on(mut options: ServerOptions, data: std::sync::Arc<TestData>) -> Self {
        let key = options
            .secret_key
            .get_or_insert_with(|| random_hex(32))
            .clone();
        let figment = figment(&options, &data, &key);
        let rocket = woofer_server::rocket_with(figment).expect("server builds");
        let (port_tx, port_rx) = oneshot::channel();
        let port_tx = std::sync::Mutex::new(Some(port_tx));
        let rocket = rocket.attach(rocket::fairing::AdHoc::on_liftoff("Test port", move |r| {
            let port = r.config().port;
            Box::pin(async move {
                if let Some(tx) = port_tx.lock().unwrap().take() {
                    let _ = tx.send(port);
                }
            })
        }));
        let rocket = rocket
            .ignite()
            .await
            .unwrap_or_else(|e| panic!("server ignites: {e}"));
        let shutdown = rocket.shutdown();
        let routes = rocket
            .routes()
            .map(|r| (r.method.as_str().to_owned(), r.uri.path().to_string()))
            .collect();
        let task = tokio::spawn(async move {
            if let Err(e) = rocket.launch().await {
                eprintln!("test server stopped: {e}");
            }
        });
        let port = tokio::time::timeout(Duration::from_secs(30), port_rx)
            .await
            .expect("server started within 30 s")
            .expect("server reported its port");
        Self {
            base_url: format!("http://127.0.0.1:{port}"),
            shutdown,
            task: Some(task),
            data,
            options,
            routes,
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub fn data(&self) -> std::sync::Arc<TestData> {
        self.data.clone()
    }

    /// Every mounted route as (method, path template), e.g. ("GET", "/api/woofs/<id>").
    pub fn routes(&self) -> &[(String, String)] {
        &self.routes
    }

    /// Stops the server and waits until it has let go of its port.
    pub async fn stop(mut self) -> std::sync::Arc<TestData> {
        self.shutdown.clone().notify();
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
        self.data.clone()
    }

    /// The same server again, on the same data and key.
    pub async fn restart(self) -> Self {
        let options = self.options.clone();
        let data = self.stop().await;
        Self::start_on(options, data).await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown.clone().notify();
    }
}

fn figment(options: &ServerOptions, data: &TestData, key: &str) -> Figment {
    let figment = Figment::from(rocket::Config::debug_default())
        .merge(("address", "127.0.0.1"))
        .merge(("port", 0))
        .merge(("log_level", "off"))
        .merge(("cli_colors", false))
        .merge(("shutdown.ctrlc", false))
        .merge(("shutdown.signals", Vec::<String>::new()))
        .merge(("shutdown.grace", 0))
        .merge(("shutdown.mercy", 0))
        .merge(("secret_key", key))
        .merge(("session_lifetime", options.session_lifetime))
        .merge(("cookie_secure", options.cookie_secure))
        .merge(("databases.woofer.url", data.database_url()))
        .merge(("databases.woofer.max_connections", 16))
        .merge(("databases.woofer.connect_timeout", 10));
    let figment = match options.hash_concurrency {
        Some(n) => figment.merge(("hash_concurrency", n)),
        None => figment,
    };
    let figment = match options.hash_queue {
        Some(n) => figment.merge(("hash_queue", n)),
        None => figment,
    };
    let figment = match options.registrations_per_hour {
        Some(n) => figment.merge(("registrations_per_hour", n)),
        None => figment,
    };
    match &options.client_ip_header {
        Some(header) => figment.merge(("client_ip_header", header.as_str())),
        None => figment,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_is_swapped_in_the_admin_url() {
        assert_eq!(
            super::with_database("postgres://postgres@127.0.0.1:5432/postgres", "w1"),
            "postgres://postgres@127.0.0.1:5432/w1"
        );
        assert_eq!(
            super::with_database("postgres://u:p@h/db?sslmode=disable", "w2"),
            "postgres://u:p@h/w2?sslmode=disable"
        );
    }
}
