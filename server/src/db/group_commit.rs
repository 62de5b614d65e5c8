//! Group commit for SQLite's busiest writes (posting, liking): writes that
//! arrive while one is being stored wait in a line, and the next commit
//! stores all of them in one transaction.
//!
//! Each SQLite commit writes every page it changed to the write-ahead log
//! and takes and drops the file locks; a hundred posts committed one by one
//! write the same few pages a hundred times. At a few thousand writes a
//! second that was a large part of the writers' work, and the queue behind
//! it the tail of their latency (docs/benchmarks.md, "Group commit, and no
//! ping per statement").
//!
//! A write is one statement. A statement that breaks a constraint (a like
//! of a woof deleted meanwhile) is undone alone, as SQLite undoes any
//! failed statement, and the others in its transaction stand. Any other
//! failure undoes the transaction, and its writes are then stored one by
//! one, so each gets its own answer. Nobody hears "stored" before the
//! commit that stores it.

use sqlx::error::ErrorKind;
use sqlx::{AnyConnection, AnyPool, Executor};
use tokio::sync::{mpsc, oneshot};

/// At most this many writes in one transaction: a bound on how long the
/// write lock is held at a time.
const MOST_IN_ONE_COMMIT: usize = 64;

/// Writes waiting beyond this many wait to join the line.
const LINE_LENGTH: usize = 1024;

/// A value bound to a statement: the store's columns are integers and text.
#[derive(Debug, Clone)]
pub enum Value {
    Int(i64),
    Text(String),
}

/// One statement to store.
#[derive(Debug, Clone)]
pub struct Write {
    pub sql: &'static str,
    pub args: Vec<Value>,
    /// The statement ends in `RETURNING id`, which its answer carries.
    pub returns_id: bool,
}

/// What a stored write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub rows_affected: u64,
    /// The id a `RETURNING id` gave, if the statement stored a row.
    pub id: Option<i64>,
}

type Reply = oneshot::Sender<sqlx::Result<Written>>;

/// What must follow a stored write at once, in the order of the commits
/// (a live stream's events): it runs before any later write's, and before
/// the writer hears its answer.
pub type AfterCommit = Box<dyn FnOnce(&Written) + Send>;

/// A write in the line.
struct Queued {
    write: Write,
    then: Option<AfterCommit>,
    reply: Reply,
}

impl Queued {
    fn answer(self, answer: sqlx::Result<Written>) {
        if let (Ok(written), Some(then)) = (&answer, self.then) {
            then(written);
        }
        let _ = self.reply.send(answer);
    }
}

/// The line to the committing task. Cloning gives another way into the
/// same line.
#[derive(Clone)]
pub struct GroupCommit {
    line: mpsc::Sender<Queued>,
}

impl GroupCommit {
    /// Starts the committing task on `pool` (SQLite's writers); it ends
    /// when the last `GroupCommit` is dropped.
    pub fn start(pool: AnyPool) -> Self {
        let (line, waiting) = mpsc::channel(LINE_LENGTH);
        tokio::spawn(commit_in_groups(pool, waiting));
        Self { line }
    }

    /// Stores `write` with whatever else is waiting, runs `then`, and
    /// answers after the commit.
    pub async fn write(&self, write: Write, then: Option<AfterCommit>) -> sqlx::Result<Written> {
        let (reply, answer) = oneshot::channel();
        let closed = || sqlx::Error::PoolClosed;
        self.line
            .send(Queued { write, then, reply })
            .await
            .map_err(|_| closed())?;
        answer.await.map_err(|_| closed())?
    }
}

async fn commit_in_groups(pool: AnyPool, mut waiting: mpsc::Receiver<Queued>) {
    let mut arrived = Vec::with_capacity(MOST_IN_ONE_COMMIT);
    while waiting.recv_many(&mut arrived, MOST_IN_ONE_COMMIT).await > 0 {
        let group = std::mem::take(&mut arrived);
        let left = if group.len() > 1 {
            together(&pool, group).await
        } else {
            group
        };
        for queued in left {
            let answer = match pool.acquire().await {
                Ok(mut conn) => run(&mut conn, &queued.write).await,
                Err(e) => Err(e),
            };
            queued.answer(answer);
        }
    }
}

/// Stores `group` in one transaction and answers its writers; gives back
/// the writes still to be stored, one by one, when that failed.
async fn together(pool: &AnyPool, group: Vec<Queued>) -> Vec<Queued> {
    let mut conn = match pool.acquire().await {
        Ok(conn) => conn,
        Err(e) => {
            for queued in group {
                queued.answer(Err(again(&e)));
            }
            return Vec::new();
        }
    };
    let writes: Vec<&Write> = group.iter().map(|queued| &queued.write).collect();
    match in_one_transaction(&mut conn, &writes).await {
        Ok(answers) => {
            for (queued, answer) in group.into_iter().zip(answers) {
                queued.answer(answer);
            }
            Vec::new()
        }
        Err(e) => {
            rocket::warn!("a group commit failed, storing its writes one by one: {e}");
            // Whether the transaction is still open is not known for every
            // failure: the connection is rolled back and not used again.
            let _ = conn.execute("ROLLBACK").await;
            let _ = conn.close().await;
            group
        }
    }
}

/// The answers to `writes`, once committed together; `Err` when the
/// transaction could not be (it is then still to be rolled back).
async fn in_one_transaction(
    conn: &mut AnyConnection,
    writes: &[&Write],
) -> sqlx::Result<Vec<sqlx::Result<Written>>> {
    conn.execute("BEGIN IMMEDIATE").await?;
    let mut answers = Vec::with_capacity(writes.len());
    for write in writes {
        match run(conn, write).await {
            Err(sqlx::Error::Database(e)) if breaks_a_constraint(e.kind()) => {
                answers.push(Err(sqlx::Error::Database(e)));
            }
            Err(e) => return Err(e),
            Ok(written) => answers.push(Ok(written)),
        }
    }
    conn.execute("COMMIT").await?;
    Ok(answers)
}

/// Constraint failures undo their own statement and leave the transaction
/// open; other failures may have ended it.
fn breaks_a_constraint(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::UniqueViolation
            | ErrorKind::ForeignKeyViolation
            | ErrorKind::NotNullViolation
            | ErrorKind::CheckViolation
    )
}

/// Runs one write on `conn`, as it is (in the open transaction, if any).
pub async fn run(conn: &mut AnyConnection, write: &Write) -> sqlx::Result<Written> {
    let mut query = sqlx::query(write.sql);
    for arg in &write.args {
        query = match arg {
            Value::Int(n) => query.bind(*n),
            Value::Text(s) => query.bind(s.as_str()),
        };
    }
    if write.returns_id {
        use sqlx::Row;
        let row = query.fetch_optional(&mut *conn).await?;
        let id = row.map(|r| r.try_get::<i64, _>(0)).transpose()?;
        Ok(Written {
            rows_affected: u64::from(id.is_some()),
            id,
        })
    } else {
        let done = query.execute(&mut *conn).await?;
        Ok(Written {
            rows_affected: done.rows_affected(),
            id: None,
        })
    }
}

/// A failure told again to each writer it fails (sqlx's errors are not
/// `Clone`).
fn again(e: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Protocol(format!("storing a group of writes: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORE_NAME: &str = "INSERT INTO names (name) VALUES ($1) RETURNING id";

    /// A database file of its own (closing a connection must not lose
    /// it, as it would an in-memory one), removed when the test ends.
    struct NamesTable {
        pool: AnyPool,
        file: std::path::PathBuf,
    }

    impl Drop for NamesTable {
        fn drop(&mut self) {
            for end in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{end}", self.file.display()));
            }
        }
    }

    async fn names_table(test: &str) -> NamesTable {
        sqlx::any::install_default_drivers();
        let file = std::env::temp_dir().join(format!(
            "woofer-group-commit-{}-{test}.db",
            std::process::id()
        ));
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&format!("sqlite://{}?mode=rwc", file.display()))
            .await
            .unwrap();
        pool.execute("CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
            .await
            .unwrap();
        NamesTable { pool, file }
    }

    fn name(name: &str) -> Write {
        Write {
            sql: STORE_NAME,
            args: vec![Value::Text(name.to_owned())],
            returns_id: true,
        }
    }

    /// Puts `writes` in the line in order before the committing task first
    /// runs (the test's runtime has one thread, and nothing here yields),
    /// so that they all share one commit. Their answers, and the ids their
    /// `then`s saw, in the order those ran.
    async fn in_one_group(
        pool: &AnyPool,
        writes: Vec<Write>,
    ) -> (Vec<sqlx::Result<Written>>, Vec<Option<i64>>) {
        let group = GroupCommit::start(pool.clone());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let answers: Vec<_> = writes
            .into_iter()
            .map(|write| {
                let (reply, answer) = oneshot::channel();
                let seen = seen.clone();
                let then: AfterCommit = Box::new(move |w| seen.lock().unwrap().push(w.id));
                group
                    .line
                    .try_send(Queued {
                        write,
                        then: Some(then),
                        reply,
                    })
                    .unwrap();
                answer
            })
            .collect();
        let mut out = Vec::new();
        for answer in answers {
            out.push(answer.await.unwrap());
        }
        let seen = seen.lock().unwrap().clone();
        (out, seen)
    }

    async fn stored(pool: &AnyPool) -> Vec<String> {
        sqlx::query_scalar("SELECT name FROM names ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn each_write_of_a_group_gets_its_own_answer() {
        let table = names_table("answers").await;
        let pool = &table.pool;
        let names: Vec<String> = (0..40).map(|i| format!("dog{}", i % 30)).collect();

        let (answers, seen) = in_one_group(pool, names.iter().map(|n| name(n)).collect()).await;

        let ids: Vec<i64> = answers
            .iter()
            .filter_map(|a| a.as_ref().ok().and_then(|w| w.id))
            .collect();
        assert_eq!(ids.len(), 30, "one stored per distinct name");
        let mut distinct = ids.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), 30);
        for (i, answer) in answers.iter().enumerate().skip(30) {
            match answer {
                Err(sqlx::Error::Database(e)) => {
                    assert_eq!(e.kind(), ErrorKind::UniqueViolation, "write {i}")
                }
                other => panic!("write {i} of a taken name: {other:?}"),
            }
        }
        assert_eq!(
            seen,
            ids.iter().map(|&id| Some(id)).collect::<Vec<_>>(),
            "each stored write's `then` ran once, in commit order"
        );
        let kept = stored(pool).await;
        assert_eq!(kept.len(), 30);
        for (answer, n) in answers.iter().zip(&names).take(30) {
            let id = answer.as_ref().unwrap().id.unwrap();
            assert_eq!(
                kept[usize::try_from(id).unwrap() - 1],
                *n,
                "id {id} is {n}'s"
            );
        }
    }

    #[tokio::test]
    async fn a_failure_that_ends_the_transaction_leaves_the_rest_stored() {
        let table = names_table("failure").await;
        let pool = &table.pool;
        let mut writes: Vec<Write> = ["rex", "fido", "lassie", "laika"].map(name).into();
        writes.insert(
            2,
            Write {
                sql: "INSERT INTO no_such_table (name) VALUES ($1)",
                args: vec![Value::Text("bad".into())],
                returns_id: false,
            },
        );

        let (answers, seen) = in_one_group(pool, writes).await;

        assert!(answers[2].is_err(), "{:?}", answers[2]);
        assert_eq!(
            seen,
            [Some(1), Some(2), Some(3), Some(4)],
            "once each, in order"
        );
        for i in [0, 1, 3, 4] {
            assert_eq!(answers[i].as_ref().unwrap().rows_affected, 1, "write {i}");
        }
        assert_eq!(stored(pool).await, ["rex", "fido", "lassie", "laika"]);
    }
}
