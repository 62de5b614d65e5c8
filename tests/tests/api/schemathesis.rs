//! schemathesis, the OpenAPI fuzzer, against the real server: every
//! operation of `/api/openapi.json`, every check, the stateful phase
//! included, must report nothing — no `5xx`, no request the document calls
//! valid refused, no request it calls invalid accepted, no response that
//! breaks its own schema, no undeclared status or missing header.
//!
//! It runs the `schemathesis` command (Python; the version `.ci/run`
//! installs) with `tests/schemathesis/` (its settings, and hooks that log it
//! in as a registered dog and keep its valid requests to what the document
//! states in words: woofs of at most 280 graphemes, replies to woofs that
//! exist). Where the
//! command is missing the trials are reported as ignored, unless
//! `WOOFER_REQUIRE_SCHEMATHESIS=1` (as in CI), when they fail.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use woofer_tests::browser::on_path;
use woofer_tests::trials::{self, Trial};
use woofer_tests::{ServerOptions, TestServer};

/// Test cases per operation and phase: enough to meet every rule at its
/// edges, few enough that a run takes about a minute on two cores.
const MAX_EXAMPLES: &str = "100";
/// A run that has not finished by then is stopped and fails.
const DEADLINE: Duration = Duration::from_secs(8 * 60);

pub fn trials() -> Vec<Trial> {
    let found = on_path("schemathesis").is_some();
    let required = std::env::var("WOOFER_REQUIRE_SCHEMATHESIS").is_ok_and(|v| v == "1");
    let name = trials::name(module_path!(), "the_fuzzer_finds_nothing");
    trials::on_every_backend(&name, move |options| async move {
        assert!(
            found,
            "WOOFER_REQUIRE_SCHEMATHESIS=1 but schemathesis is not installed \
             (pip install schemathesis=={PINNED})"
        );
        the_fuzzer_finds_nothing(options).await
    })
    .into_iter()
    .map(|trial| {
        let ignored = trial.has_ignored_flag() || (!found && !required);
        trial.with_ignored_flag(ignored)
    })
    .collect()
}

/// The version `.ci/run` installs, named in the failure above.
const PINNED: &str = "4.32.5";

async fn the_fuzzer_finds_nothing(options: ServerOptions) {
    // The fuzzer registers a dog whenever its session is gone (it logs
    // itself out, ends its sessions, deletes its account), all from one
    // address: no limit on registrations here.
    let server = TestServer::start(ServerOptions {
        registrations_per_hour: Some(0),
        ..options
    })
    .await;
    let base_url = server.base_url().to_owned();

    let run = tokio::task::spawn_blocking(move || schemathesis(&base_url))
        .await
        .expect("the schemathesis run");

    assert!(
        run.passed,
        "schemathesis found problems (rerun one with `--seed` as printed):\n{}",
        run.report
    );
}

struct Run {
    passed: bool,
    report: String,
}

/// `tests/schemathesis/`: the settings and the hooks.
fn settings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemathesis")
}

fn schemathesis(base_url: &str) -> Run {
    let settings = settings_dir();
    let work = tempfile::tempdir().expect("a directory for the run");
    let report_path = work.path().join("output.txt");
    let report = std::fs::File::create(&report_path).expect("the report file");
    let mut child = Command::new("schemathesis")
        .arg("--config-file")
        .arg(settings.join("schemathesis.toml"))
        .args(["--no-color", "run"])
        .arg(format!("{base_url}/api/openapi.json"))
        .args([
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--max-examples",
            MAX_EXAMPLES,
            // One at a time: the hooks look at the server's state (does the
            // woof a reply answers exist?) just before each request, which
            // another worker could change in between.
            "--workers",
            "1",
            "--request-timeout",
            "30",
            "--generation-database",
            "none",
        ])
        .env("SCHEMATHESIS_HOOKS", settings.join("hooks.py"))
        .env("WOOFER_BASE_URL", base_url)
        .current_dir(work.path())
        .stdin(Stdio::null())
        .stdout(report.try_clone().expect("the report file"))
        .stderr(report)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start schemathesis: {e}"));
    let deadline = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for schemathesis") {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let mut report = std::fs::read_to_string(&report_path).unwrap_or_default();
    if status.is_none() {
        report.push_str(&format!("\n(stopped after {} s)\n", DEADLINE.as_secs()));
    }
    Run {
        passed: status.is_some_and(|s| s.success()),
        report,
    }
}
