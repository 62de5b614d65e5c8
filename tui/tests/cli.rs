//! `woofer <command>` as a real process against a real server: output,
//! `--json`, exit statuses, the password from standard input or a
//! terminal, and the jar shared with the app.

mod support;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde_json::Value;
use support::TerminalSession;
use tokio::io::AsyncWriteExt;
use woofer_tests::{ServerOptions, TestServer};

const WOOFER: &str = env!("CARGO_BIN_EXE_woofer");

/// What a run printed, and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    /// Exit 0 with nothing on standard error.
    fn assert_quiet_success(&self) -> &Self {
        assert_eq!(
            (self.code, self.stderr.as_str()),
            (0, ""),
            "{}",
            self.stdout
        );
        self
    }
}

/// A shell in a temporary directory with its own jar, pointed at a server.
struct Shell {
    server: String,
    dir: tempfile::TempDir,
}

impl Shell {
    fn new(server: &TestServer) -> Self {
        Self {
            server: server.base_url().to_owned(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn jar(&self) -> PathBuf {
        self.dir.path().join("woofer/cookies.json")
    }

    async fn run_with(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let mut command = tokio::process::Command::new(WOOFER);
        command
            .args(args)
            .env("WOOFER_SERVER", &self.server)
            .env("WOOFER_COOKIE_JAR", self.jar())
            .env_remove("NO_COLOR")
            .current_dir(self.dir.path())
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("woofer runs");
        if let Some(text) = stdin {
            let mut pipe = child.stdin.take().unwrap();
            pipe.write_all(text.as_bytes()).await.unwrap();
        }
        let output = child.wait_with_output().await.unwrap();
        Run {
            code: output.status.code().expect("an exit status"),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    async fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, None).await
    }

    async fn registered(server: &TestServer, name: &str) -> Self {
        let shell = Self::new(server);
        shell
            .run_with(
                &["register", name, "--password-stdin"],
                Some("correct horse\n"),
            )
            .await
            .assert_quiet_success();
        shell
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dog_registers_posts_reads_deletes_and_logs_out() {
    let server = TestServer::start(ServerOptions::default()).await;
    let shell = Shell::new(&server);

    let registered = shell
        .run_with(
            &["register", "Rex", "--password-stdin"],
            Some("correct horse\n"),
        )
        .await;
    let whoami = shell.run(&["whoami"]).await;
    let whoami_json = shell.run(&["whoami", "--json"]).await;
    let first = shell.run(&["post", "Squirrel", "by  the", "oak"]).await;
    let second = shell.run_with(&["post", "-"], Some("Multi\nline\n")).await;
    let feed = shell.run(&["feed"]).await;
    let feed_json = shell.run(&["feed", "--json"]).await;
    let one = shell.run(&["woofs", "rex", "--limit", "1"]).await;
    let profile = shell.run(&["profile", "REX", "--json"]).await;

    registered.assert_quiet_success();
    assert_eq!(registered.stdout, "Welcome to Woofer, @rex\n");
    assert!(whoami
        .assert_quiet_success()
        .stdout
        .starts_with("@rex  joined 20"));
    let me = &whoami_json.json_lines()[0];
    assert_eq!(me["username"], "rex");
    let first_id: i64 = first.assert_quiet_success().stdout.trim().parse().unwrap();
    let second_id: i64 = second.assert_quiet_success().stdout.trim().parse().unwrap();
    assert!(second_id > first_id);
    let lines: Vec<&str> = feed.assert_quiet_success().stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", feed.stdout);
    assert!(lines[0].ends_with("@rex  Multi line"), "{}", lines[0]);
    assert!(
        lines[1].ends_with("@rex  Squirrel by  the oak"),
        "{}",
        lines[1]
    );
    let woofs = feed_json.json_lines();
    assert_eq!(woofs[0]["id"], second_id);
    assert_eq!(
        woofs[0]["body"], "Multi\nline",
        "--json keeps the API's object"
    );
    assert_eq!(woofs[1]["body"], "Squirrel by  the oak");
    assert_eq!(one.stdout.lines().count(), 1);
    assert_eq!(profile.json_lines()[0]["woof_count"], 2);

    let deleted = shell.run(&["delete", &first_id.to_string()]).await;
    let after = shell.run(&["feed", "--json"]).await;
    let logged_out = shell.run(&["logout"]).await;
    let gone = shell.run(&["whoami"]).await;

    assert_eq!(
        deleted.assert_quiet_success().stdout,
        format!("Deleted woof {first_id}.\n")
    );
    assert_eq!(after.json_lines().len(), 1);
    assert_eq!(logged_out.assert_quiet_success().stdout, "Logged out.\n");
    assert_eq!(gone.code, 3);
    assert!(
        gone.stderr.contains("run `woofer login`"),
        "{}",
        gone.stderr
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(shell.jar()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_statuses_tell_a_script_what_happened() {
    let server = TestServer::start(ServerOptions::default()).await;
    let shell = Shell::registered(&server, "rex").await;
    let stranger = Shell::new(&server);

    let usage = [
        shell.run(&["delete", "abc"]).await,
        shell.run(&["feed", "--limit", "0"]).await,
        shell.run(&["frobnicate"]).await,
    ];
    let too_long = shell.run(&["post", &"🐕".repeat(281)]).await;
    let nothing_sent = shell.run(&["feed", "--json"]).await;
    let not_logged_in = stranger.run(&["feed"]).await;
    let wrong = stranger
        .run_with(&["login", "rex", "--password-stdin"], Some("wrong horse\n"))
        .await;
    let mut last = wrong.code;
    let mut limited = None;
    for _ in 0..12 {
        let run = stranger
            .run_with(&["login", "rex", "--password-stdin"], Some("wrong horse\n"))
            .await;
        last = run.code;
        if run.code == 4 {
            limited = Some(run);
            break;
        }
    }

    for run in &usage {
        assert_eq!(run.code, 2, "{}", run.stderr);
    }
    assert_eq!(too_long.code, 1);
    assert_eq!(
        too_long.stderr,
        "woofer: body: a woof may hold at most 280 characters\n"
    );
    assert_eq!(nothing_sent.stdout, "", "refused before sending");
    assert_eq!(not_logged_in.code, 3);
    assert_eq!(wrong.code, 1);
    assert_eq!(wrong.stderr, "woofer: wrong username or password\n");
    let limited = limited.unwrap_or_else(|| panic!("never rate-limited; last exit {last}"));
    assert!(limited.stderr.contains("retry after"), "{}", limited.stderr);
    assert_eq!(limited.stderr.lines().count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_server_is_one_line_and_exit_1() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("cookies.json");

    let run = tokio::process::Command::new(WOOFER)
        .args([
            "feed",
            "--server",
            &url,
            "--cookie-jar",
            jar.to_str().unwrap(),
        ])
        .output()
        .await
        .unwrap();

    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&run.stderr),
        format!("woofer: cannot reach {url}\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_flags_go_before_or_after_the_command() {
    let server = TestServer::start(ServerOptions::default()).await;
    let shell = Shell::registered(&server, "rex").await;
    let jar = shell.jar();
    let jar = jar.to_str().unwrap();
    let wrong_server = "http://127.0.0.1:9";

    // The environment names a dead server; the flags must win, wherever they are.
    let before = tokio::process::Command::new(WOOFER)
        .args([
            "--json",
            "--server",
            &shell.server,
            "--cookie-jar",
            jar,
            "whoami",
        ])
        .env("WOOFER_SERVER", wrong_server)
        .output();
    let after = tokio::process::Command::new(WOOFER)
        .args([
            "whoami",
            "--cookie-jar",
            jar,
            "--json",
            "--server",
            &shell.server,
        ])
        .env("WOOFER_SERVER", wrong_server)
        .output();
    let (before, after) = (before.await.unwrap(), after.await.unwrap());

    assert!(
        before.status.success(),
        "{}",
        String::from_utf8_lossy(&before.stderr)
    );
    assert_eq!(before.stdout, after.stdout);
    let user: Value = serde_json::from_slice(&before.stdout).unwrap();
    assert_eq!(user["username"], "rex");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_walks_every_page_and_says_nothing_on_a_pipe() {
    let server = TestServer::start(ServerOptions::default()).await;
    let shell = Shell::registered(&server, "rex").await;
    for n in 1..=5 {
        shell
            .run(&["post", &format!("woof {n}")])
            .await
            .assert_quiet_success();
    }

    let all = shell.run(&["feed", "--all", "--limit", "2"]).await;
    let older = shell.run(&["feed", "--before", "3", "--json"]).await;

    let bodies: Vec<&str> = all.assert_quiet_success().stdout.lines().collect();
    assert_eq!(bodies.len(), 5, "{}", all.stdout);
    assert!(bodies[0].ends_with("woof 5") && bodies[4].ends_with("woof 1"));
    let ids: Vec<i64> = older
        .json_lines()
        .iter()
        .map(|w| w["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![2, 1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_terminal_all_clears_its_progress_line_and_leaves_the_woofs() {
    let server = TestServer::start(ServerOptions::default()).await;
    let shell = Shell::registered(&server, "rex").await;
    for n in 1..=3 {
        shell
            .run(&["post", &format!("woof {n}")])
            .await
            .assert_quiet_success();
    }
    let (url, jar, dir) = (
        shell.server.clone(),
        path_arg(&shell.jar()),
        shell.dir.path().to_owned(),
    );

    let (screen, succeeded) = tokio::task::spawn_blocking(move || {
        let args = [
            "feed",
            "--all",
            "--limit",
            "1",
            "--server",
            &url,
            "--cookie-jar",
            &jar,
        ];
        let mut term = TerminalSession::start(WOOFER, &args, &dir, 10, 80);
        let exited = term.wait_exit();
        (term.screen(), exited)
    })
    .await
    .unwrap();

    assert!(succeeded, "{screen}");
    let lines: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        3,
        "three woofs and no progress left over:\n{screen}"
    );
    assert!(
        lines[0].ends_with("@rex  woof 3") && lines[2].ends_with("@rex  woof 1"),
        "{screen}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_password_prompt_needs_a_terminal_and_hides_what_is_typed() {
    let server = TestServer::start(ServerOptions::default()).await;
    let shell = Shell::registered(&server, "rex").await;
    let stranger = Shell::new(&server);

    let refused = stranger.run(&["login", "rex"]).await;
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("--password-stdin"),
        "{}",
        refused.stderr
    );

    let (server_url, jar, dir) = (
        shell.server.clone(),
        stranger.jar().to_str().unwrap().to_owned(),
        stranger.dir.path().to_owned(),
    );
    let (screen, succeeded) = tokio::task::spawn_blocking(move || {
        let args = ["login", "--server", &server_url, "--cookie-jar", &jar];
        let mut term = TerminalSession::start(WOOFER, &args, &dir, 10, 80);
        term.wait_for("Username:");
        term.type_text("rex\r");
        term.wait_for("Password:");
        term.type_text("correct horse\r");
        term.wait_for("Logged in as @rex");
        let screen = term.screen();
        (screen, term.wait_exit())
    })
    .await
    .unwrap();

    assert!(succeeded);
    assert!(!screen.contains("correct horse"), "no echo: {screen}");
    stranger.run(&["whoami"]).await.assert_quiet_success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_and_the_command_line_share_one_login() {
    let server = TestServer::start(ServerOptions::default()).await;
    // Logged in on the command line: the app opens on the feed.
    let shell = Shell::registered(&server, "rex").await;
    shell
        .run(&["post", "from the shell"])
        .await
        .assert_quiet_success();
    // Logged in in the app: the command line is logged in too.
    let other = Shell::new(&server);
    Shell::registered(&server, "fido").await;

    let app_screen = {
        let server_url = shell.server.clone();
        let (jar, dir) = (path_arg(&shell.jar()), shell.dir.path().to_owned());
        let (other_jar, other_dir) = (path_arg(&other.jar()), other.dir.path().to_owned());
        tokio::task::spawn_blocking(move || {
            let mut app = TerminalSession::start(
                WOOFER,
                &["--server", &server_url, "--cookie-jar", &jar],
                &dir,
                24,
                100,
            );
            app.wait_for("from the shell");
            let screen = app.screen();
            app.send(b"q");
            assert!(app.wait_exit());

            let mut app = TerminalSession::start(
                WOOFER,
                &["--server", &server_url, "--cookie-jar", &other_jar],
                &other_dir,
                24,
                100,
            );
            app.log_in("fido", "correct horse");
            app.wait_for("@fido");
            app.send(b"q");
            assert!(app.wait_exit());
            screen
        })
        .await
        .unwrap()
    };
    let whoami = other.run(&["whoami", "--json"]).await;

    assert!(
        app_screen.contains("@rex") && !app_screen.contains("Password"),
        "{app_screen}"
    );
    assert_eq!(whoami.json_lines()[0]["username"], "fido");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_are_listed_and_ended_from_the_shell() {
    let server = TestServer::start(ServerOptions::default()).await;
    let laptop = Shell::registered(&server, "rex").await;
    let phone = Shell::new(&server);
    phone
        .run_with(
            &["login", "rex", "--password-stdin"],
            Some("correct horse\n"),
        )
        .await
        .assert_quiet_success();

    let listed = laptop.run(&["sessions", "--json"]).await;
    let human = laptop.run(&["sessions"]).await;
    let bogus = laptop.run(&["sessions", "end", "no-such-session"]).await;
    let sneaky = laptop.run(&["sessions", "end", "../others"]).await;
    let phone_still = phone.run(&["whoami"]).await;
    let ended = laptop.run(&["sessions", "end-others"]).await;
    let phone_after = phone.run(&["whoami"]).await;
    let left = laptop.run(&["sessions", "--json"]).await;

    let sessions = listed.json_lines();
    assert_eq!(sessions.len(), 2);
    assert!(sessions
        .iter()
        .all(|s| s["user_agent"].as_str().unwrap().starts_with("woofer/")));
    let current: Vec<_> = sessions.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    let mine = current[0]["id"].as_str().unwrap();
    let marked: Vec<&str> = human
        .assert_quiet_success()
        .stdout
        .lines()
        .filter(|l| l.starts_with('*'))
        .collect();
    assert_eq!(marked.len(), 1);
    assert!(marked[0].contains(mine), "{}", human.stdout);
    assert_eq!(bogus.code, 1);
    assert_eq!(sneaky.code, 1, "not a session id, and no other path");
    phone_still.assert_quiet_success();
    assert_eq!(
        ended.assert_quiet_success().stdout,
        "Every other session ended.\n"
    );
    assert_eq!(phone_after.code, 3);
    assert_eq!(left.json_lines().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passwd_and_delete_account_from_the_shell() {
    let server = TestServer::start(ServerOptions::default()).await;
    let here = Shell::registered(&server, "rex").await;
    let elsewhere = Shell::new(&server);
    elsewhere
        .run_with(
            &["login", "rex", "--password-stdin"],
            Some("correct horse\n"),
        )
        .await
        .assert_quiet_success();

    let too_short = here
        .run_with(
            &["passwd", "--password-stdin"],
            Some("correct horse\nshort\n"),
        )
        .await;
    let changed = here
        .run_with(
            &["passwd", "--password-stdin"],
            Some("correct horse\nbattery staple\n"),
        )
        .await;
    let elsewhere_after = elsewhere.run(&["whoami"]).await;
    let old_password = elsewhere
        .run_with(
            &["login", "rex", "--password-stdin"],
            Some("correct horse\n"),
        )
        .await;
    let unconfirmed = here
        .run_with(
            &["delete-account", "--password-stdin"],
            Some("battery staple\n"),
        )
        .await;
    let deleted = here
        .run_with(
            &["delete-account", "--password-stdin", "--yes"],
            Some("battery staple\n"),
        )
        .await;
    let gone = here.run(&["whoami"]).await;
    let name_free = Shell::new(&server)
        .run_with(
            &["register", "rex", "--password-stdin"],
            Some("a new dog entirely\n"),
        )
        .await;

    assert_eq!(too_short.code, 1);
    assert!(
        too_short.stderr.contains("new password"),
        "{}",
        too_short.stderr
    );
    assert_eq!(
        changed.assert_quiet_success().stdout,
        "Password changed; every other session has ended.\n"
    );
    assert_eq!(elsewhere_after.code, 3);
    assert_eq!(old_password.code, 1);
    assert_eq!(unconfirmed.code, 2, "{}", unconfirmed.stderr);
    assert!(unconfirmed.stderr.contains("--yes"));
    assert_eq!(
        deleted.assert_quiet_success().stdout,
        "Deleted @rex. Goodbye.\n"
    );
    assert_eq!(gone.code, 3);
    name_free.assert_quiet_success();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completions_are_printed_for_a_shell() {
    let run = tokio::process::Command::new(WOOFER)
        .args(["completions", "bash"])
        .output()
        .await
        .unwrap();
    assert!(run.status.success());
    let script = String::from_utf8(run.stdout).unwrap();
    assert!(script.contains("_woofer()"), "{script}");
    assert!(script.contains("--password-stdin"));
}

/// The README's shell script, run as printed with `woofer` on the PATH.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_script_works_as_printed() {
    let readme = include_str!("../../README.md");
    let script = readme
        .split("<!-- cli-script -->")
        .nth(1)
        .and_then(|part| part.split("```sh\n").nth(1))
        .and_then(|part| part.split("```").next())
        .expect("the README has a script between <!-- cli-script --> markers");
    let server = TestServer::start(ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let bin = Path::new(WOOFER).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let run = tokio::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .env("PATH", path)
        .env("WOOFER_SERVER", server.base_url())
        .env("WOOFER_COOKIE_JAR", dir.path().join("cookies.json"))
        .current_dir(dir.path())
        .output()
        .await
        .unwrap();

    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("Squirrel spotted by the oak"), "{stdout}");
}

/// Two dogs in two shells: one follows the other, reads its timeline,
/// likes and answers a woof; the other sees the like, the reply and the
/// follower.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn following_liking_and_replying_from_the_shell() {
    let server = TestServer::start(ServerOptions::default()).await;
    let fido = Shell::registered(&server, "fido").await;
    let rex = Shell::registered(&server, "rex").await;
    let squirrel = fido.run(&["post", "Squirrel in the oak!"]).await;
    let squirrel = squirrel.assert_quiet_success().stdout.trim().to_owned();

    let before = rex.run(&["timeline"]).await;
    let followed = rex.run(&["follow", "Fido"]).await;
    let timeline = rex.run(&["timeline", "--json"]).await;
    let liked = rex.run(&["like", &squirrel]).await;
    let replied = rex
        .run(&["post", "--reply-to", &squirrel, "On", "my", "way"])
        .await;
    let reply = replied.assert_quiet_success().stdout.trim().to_owned();
    let shown = fido.run(&["show", &squirrel]).await;
    let shown_json = fido.run(&["show", &squirrel, "--json"]).await;
    let reply_shown = fido.run(&["show", &reply]).await;
    let followers = fido.run(&["followers", "fido"]).await;
    let following = fido.run(&["following", "rex", "--json"]).await;
    let profile = fido.run(&["profile", "fido"]).await;
    let rex_profile = rex.run(&["profile", "fido", "--json"]).await;

    assert_eq!(before.assert_quiet_success().stdout, "");
    assert_eq!(followed.assert_quiet_success().stdout, "Following @fido.\n");
    assert_eq!(timeline.json_lines()[0]["body"], "Squirrel in the oak!");
    assert_eq!(
        liked.assert_quiet_success().stdout,
        format!("Liked woof {squirrel}.\n")
    );
    let lines: Vec<&str> = shown.assert_quiet_success().stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", shown.stdout);
    assert!(
        lines[0].contains("@fido  Squirrel in the oak!  ♡ 1  ↩ 1"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("  "),
        "a reply is set in: {}",
        lines[1]
    );
    assert!(
        lines[1].contains(&format!("@rex  ↳ {squirrel}  On my way")),
        "{}",
        lines[1]
    );
    let objects = shown_json.json_lines();
    assert_eq!(objects[0]["like_count"], 1);
    assert_eq!(objects[0]["reply_count"], 1);
    assert_eq!(objects[1]["reply_to"].to_string(), squirrel);
    let reply_lines: Vec<&str> = reply_shown.stdout.lines().collect();
    assert_eq!(reply_lines.len(), 2, "the woof it answers, then it");
    assert!(reply_lines[0].contains("Squirrel in the oak!"));
    assert!(followers
        .assert_quiet_success()
        .stdout
        .starts_with("@rex  joined 20"));
    assert_eq!(following.json_lines()[0]["username"], "fido");
    assert!(
        profile
            .assert_quiet_success()
            .stdout
            .contains("1 woof  1 follower  0 following"),
        "{}",
        profile.stdout
    );
    assert_eq!(rex_profile.json_lines()[0]["followed_by_me"], true);

    let unliked = rex.run(&["unlike", &squirrel]).await;
    let unfollowed = rex.run(&["unfollow", "fido"]).await;
    let after = rex.run(&["timeline", "--json"]).await;
    let counts = fido.run(&["show", &squirrel, "--json"]).await;

    unliked.assert_quiet_success();
    assert_eq!(
        unfollowed.assert_quiet_success().stdout,
        "No longer following @fido.\n"
    );
    let ids: Vec<String> = after
        .json_lines()
        .iter()
        .map(|w| w["id"].to_string())
        .collect();
    assert_eq!(ids, vec![reply], "only rex's own woof is left");
    assert_eq!(counts.json_lines()[0]["like_count"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_likes_follows_and_replies_are_one_line() {
    let server = TestServer::start(ServerOptions::default()).await;
    let rex = Shell::registered(&server, "rex").await;

    let no_woof = rex.run(&["like", "999999"]).await;
    let no_parent = rex.run(&["post", "--reply-to", "999999", "hello?"]).await;
    let myself = rex.run(&["follow", "rex"]).await;
    let nobody = rex.run(&["follow", "nobody_here"]).await;
    let bad_name = rex.run(&["followers", "Not A Name!"]).await;
    let bad_id = rex.run(&["show", "abc"]).await;
    let zero = rex.run(&["post", "--reply-to", "0", "hi"]).await;

    for run in [&no_woof, &no_parent, &myself, &nobody, &bad_name] {
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.starts_with("woofer: "), "{}", run.stderr);
    }
    assert!(
        no_parent.stderr.contains("reply_to"),
        "{}",
        no_parent.stderr
    );
    assert!(myself.stderr.contains("username"), "{}", myself.stderr);
    assert_eq!(bad_id.code, 2);
    assert_eq!(zero.code, 2, "{}", zero.stderr);
}

fn path_arg(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}

/// `woofer ARGS` left running in `shell`, its standard output read line by line.
struct Watching {
    child: tokio::process::Child,
    lines: tokio::io::Lines<tokio::io::BufReader<tokio::process::ChildStdout>>,
}

impl Watching {
    fn start(shell: &Shell, args: &[&str]) -> Self {
        use tokio::io::AsyncBufReadExt;
        let mut child = tokio::process::Command::new(WOOFER)
            .args(args)
            .env("WOOFER_SERVER", &shell.server)
            .env("WOOFER_COOKIE_JAR", shell.jar())
            .current_dir(shell.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("woofer runs");
        let stdout = child.stdout.take().unwrap();
        Self {
            child,
            lines: tokio::io::BufReader::new(stdout).lines(),
        }
    }

    async fn line(&mut self) -> String {
        tokio::time::timeout(std::time::Duration::from_secs(10), self.lines.next_line())
            .await
            .expect("a line within 10 s")
            .expect("stdout readable")
            .expect("a line, not the end")
    }

    /// Whether a line showing the woof `text` comes within `millis` (earlier
    /// lines are read and passed over).
    async fn prints_within(&mut self, text: &str, millis: u64) -> bool {
        let wait = std::time::Duration::from_millis(millis);
        while let Ok(Ok(Some(line))) = tokio::time::timeout(wait, self.lines.next_line()).await {
            // A person's line ends with the body; a JSON line quotes it.
            if line.ends_with(text) || line.contains(&format!("\"{text}\"")) {
                return true;
            }
        }
        false
    }

    /// The exit status, waiting at most `secs`.
    async fn exit_within(mut self, secs: u64) -> i32 {
        let status = tokio::time::timeout(std::time::Duration::from_secs(secs), self.child.wait())
            .await
            .expect("woofer exits in time")
            .unwrap();
        status.code().expect("an exit status")
    }
}

/// Posts probes until every watcher prints the same one: from then on, each
/// has its stream open and nothing left unread.
async fn wait_until_watching(watchers: &mut [&mut Watching], poster: &woofer_tests::ApiClient) {
    for i in 0..50 {
        let probe = format!("probe {i}");
        poster.post_woof(&probe).await;
        let mut all = true;
        for watcher in watchers.iter_mut() {
            all &= watcher.prints_within(&probe, 500).await;
        }
        if all {
            return;
        }
    }
    panic!("the watchers never printed a probe");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_prints_woofs_and_deletions_as_they_happen_until_the_session_ends() {
    let server = TestServer::start(ServerOptions::default()).await;
    let shell = Shell::registered(&server, "rex").await;
    let fido = woofer_tests::ApiClient::registered(server.base_url(), "fido").await;
    let mut human = Watching::start(&shell, &["watch"]);
    let mut json = Watching::start(&shell, &["watch", "--json"]);
    wait_until_watching(&mut [&mut human, &mut json], &fido).await;

    let woof = fido.post_woof("two\nlines \u{1F415}").await.json()["woof"].clone();
    let id = woof["id"].as_i64().unwrap();
    let human_woof = human.line().await;
    let json_woof: Value = serde_json::from_str(&json.line().await).unwrap();
    fido.delete(&format!("/api/woofs/{id}")).await;
    let human_deleted = human.line().await;
    let json_deleted: Value = serde_json::from_str(&json.line().await).unwrap();
    let logout = shell.run(&["logout"]).await;

    assert!(human_woof.starts_with(&id.to_string()), "{human_woof}");
    assert!(
        human_woof.contains("@fido") && human_woof.ends_with("two lines \u{1F415}"),
        "one scrubbed line: {human_woof}"
    );
    assert_eq!(
        json_woof,
        serde_json::json!({"event": "woof", "woof": woof})
    );
    assert_eq!(human_deleted, format!("{id}  deleted"));
    assert_eq!(
        json_deleted,
        serde_json::json!({"event": "delete", "id": id})
    );
    logout.assert_quiet_success();
    assert_eq!(human.exit_within(20).await, 3, "the session ended");
    assert_eq!(json.exit_within(20).await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_after_an_id_first_prints_what_was_missed() {
    let server = TestServer::start(ServerOptions::default()).await;
    let shell = Shell::registered(&server, "rex").await;
    let posted = shell.run(&["post", "seen"]).await;
    let seen = posted.stdout.trim().to_owned();
    shell
        .run(&["post", "missed one"])
        .await
        .assert_quiet_success();
    shell
        .run(&["post", "missed two"])
        .await
        .assert_quiet_success();

    let mut watch = Watching::start(&shell, &["watch", "--json", "--after", &seen]);
    let first: Value = serde_json::from_str(&watch.line().await).unwrap();
    let second: Value = serde_json::from_str(&watch.line().await).unwrap();

    assert_eq!(first["woof"]["body"], "missed one");
    assert_eq!(second["woof"]["body"], "missed two");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_without_a_session_says_so_and_exits_3() {
    let server = TestServer::start(ServerOptions::default()).await;
    let shell = Shell::new(&server);

    let run = shell.run(&["watch"]).await;

    assert_eq!(run.code, 3);
    assert!(run.stderr.contains("woofer login"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}
