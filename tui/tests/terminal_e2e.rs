//! The real `woofer` binary in a pseudo-terminal against a real server:
//! create an account by typing, see the feed, post, quit; start again and
//! land on the feed without logging in.

mod support;

use support::TerminalSession;
use woofer_tests::{ApiClient, ServerOptions, TestServer};

const WOOFER: &str = env!("CARGO_BIN_EXE_woofer");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_post_quit_and_come_back_logged_in() {
    let server = TestServer::start(ServerOptions::default()).await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    fido.post_woof("Squirrel by the oak!").await;
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("state/cookies.json");
    let base = server.base_url().to_owned();

    let jar_for_run = jar.clone();
    let workdir = dir.path().to_owned();
    let (first_run, second_run) = tokio::task::spawn_blocking(move || {
        let jar = jar_for_run.to_str().unwrap().to_owned();
        let args = ["--server", &base, "--cookie-jar", &jar];

        let mut term = TerminalSession::start(WOOFER, &args, &workdir, 30, 100);
        term.wait_for("log in");
        term.send(b"\x0e"); // Ctrl+N: create an account
        term.wait_for("create an account");
        term.type_text("rex");
        term.send(b"\t");
        term.type_text("correct horse");
        term.send(b"\r");
        // The app opens on Home, empty for a new dog; Everyone has fido.
        term.wait_for("Nothing here yet");
        term.send(b"\t");
        term.wait_for("Squirrel by the oak!");
        term.wait_for("@rex");
        term.send(b"n");
        term.wait_for("New woof");
        term.type_text("Hello from a real terminal");
        term.wait_for("26/280");
        term.send(b"\x13"); // Ctrl+S: send
        term.wait_for("(you)");
        term.wait_for("woofed!");
        let first_screen = term.screen();
        term.send(b"q");
        let first_exit = term.wait_exit();
        let restored = !term.in_alternate_screen();

        let mut again = TerminalSession::start(WOOFER, &args, &workdir, 30, 100);
        let first_frame = again.wait_for("@rex");
        again.wait_for("Hello from a real terminal");
        let second_screen = again.screen();
        again.send(b"\x03"); // Ctrl+C
        let second_exit = again.wait_exit();
        (
            (first_screen, first_exit, restored),
            (second_screen, second_exit, first_frame),
        )
    })
    .await
    .unwrap();

    let (first_screen, first_exit, restored) = first_run;
    assert!(
        first_screen.contains("Hello from a real terminal"),
        "{first_screen}"
    );
    assert!(first_exit, "q quits cleanly");
    assert!(restored, "the terminal left the alternate screen");
    let (second_screen, second_exit, first_frame) = second_run;
    assert!(
        !second_screen.contains("Password"),
        "no login the second time:\n{second_screen}"
    );
    assert!(second_exit, "Ctrl+C quits cleanly");
    eprintln!("second start: feed shown after {first_frame:?}");
    let feed = fido.get("/api/woofs").await.json();
    assert_eq!(feed["woofs"][0]["body"], "Hello from a real terminal");
    assert_eq!(feed["woofs"][0]["author"], "rex");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&jar).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_server_is_reported_and_the_app_stays_up() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("cookies.json");

    let (screen, exited) = tokio::task::spawn_blocking(move || {
        let jar = jar.to_str().unwrap().to_owned();
        let mut term = TerminalSession::start(
            WOOFER,
            &["--server", &url, "--cookie-jar", &jar],
            dir.path(),
            24,
            100,
        );
        term.log_in("rex", "correct horse");
        term.wait_for("cannot reach");
        let screen = term.screen();
        term.send(b"\x1b");
        (screen, term.wait_exit())
    })
    .await
    .unwrap();

    assert!(
        screen.contains("cannot reach http://127.0.0.1:"),
        "{screen}"
    );
    assert!(exited);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_by_typing_delete_a_woof_and_log_out() {
    let server = TestServer::start(ServerOptions::default()).await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    fido.post_woof("Fido was here").await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    rex.post_woof("Rex regrets this woof").await;
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("cookies.json");
    let base = server.base_url().to_owned();

    let jar_for_run = jar.clone();
    let workdir = dir.path().to_owned();
    let (after_delete, after_logout, next_start) = tokio::task::spawn_blocking(move || {
        let jar = jar_for_run.to_str().unwrap().to_owned();
        let args = ["--server", &base, "--cookie-jar", &jar];

        let mut term = TerminalSession::start(WOOFER, &args, &workdir, 24, 90);
        term.log_in("Rex", "correct horse");
        term.wait_for("Rex regrets this woof");
        term.send(b"\t"); // Everyone
        term.wait_for("Fido was here");
        term.send(b"d");
        term.wait_for("Delete this woof?");
        term.send(b"y");
        term.wait_for("woof deleted");
        let after_delete = term.screen();
        term.send(b"L");
        term.wait_for("logged out");
        term.wait_for("Password");
        let after_logout = term.screen();
        term.send(b"\x1b");
        assert!(term.wait_exit(), "Esc quits the login screen");

        let mut again = TerminalSession::start(WOOFER, &args, &workdir, 24, 90);
        again.wait_for("Password");
        let next_start = again.screen();
        again.send(b"\x03");
        assert!(again.wait_exit());
        (after_delete, after_logout, next_start)
    })
    .await
    .unwrap();

    assert!(!after_delete.contains("Rex regrets"), "{after_delete}");
    assert!(after_logout.contains("not logged in"), "{after_logout}");
    assert!(
        !next_start.contains("session has ended"),
        "a logged-out jar is simply logged out:\n{next_start}"
    );
    let feed = fido.get("/api/woofs").await.json();
    assert_eq!(feed["woofs"].as_array().unwrap().len(), 1);
    let saved = std::fs::read_to_string(&jar).unwrap();
    assert!(!saved.contains("woofer_session"), "{saved}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resizing_to_a_tiny_terminal_and_back_redraws_without_a_panic() {
    let server = TestServer::start(ServerOptions::default()).await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    rex.post_woof("日本語 and 🐕 in a woof that is long enough to wrap on a tiny screen")
        .await;
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("cookies.json");
    let base = server.base_url().to_owned();

    let screen = tokio::task::spawn_blocking(move || {
        let jar = jar.to_str().unwrap().to_owned();
        let mut term = TerminalSession::start(
            WOOFER,
            &["--server", &base, "--cookie-jar", &jar],
            dir.path(),
            24,
            80,
        );
        term.wait_for("log in");
        term.type_text("rex\tcorrect horse\r");
        term.wait_for("long enough");
        for (rows, cols) in [(6, 20), (3, 10), (1, 1), (6, 20)] {
            term.resize(rows, cols);
            std::thread::sleep(std::time::Duration::from_millis(150));
            term.send(b"j");
            assert!(term.alive(), "woofer died at {cols}x{rows}");
        }
        term.wait_for("@rex");
        term.resize(30, 100);
        term.wait_for("long enough to wrap on a tiny screen");
        let screen = term.screen();
        term.send(b"q");
        assert!(term.wait_exit());
        screen
    })
    .await
    .unwrap();
    assert!(screen.contains("? help"), "{screen}");
}

/// Two dogs: rex finds fido on Everyone, follows it from its profile, and
/// on Home likes and answers its woof; then fido, in its own terminal, sees
/// the like, the reply count and the reply in the woof's thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_dog_follows_likes_and_replies_and_the_other_sees_it() {
    let server = TestServer::start(ServerOptions::default()).await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    let posted = fido.post_woof("Squirrel in the oak!").await.json();
    let squirrel = posted["woof"]["id"].as_i64().unwrap();
    ApiClient::registered(server.base_url(), "rex").await;
    let dir = tempfile::tempdir().unwrap();
    let base = server.base_url().to_owned();

    let workdir = dir.path().to_owned();
    let (rex_home, fido_home, fido_thread) = tokio::task::spawn_blocking(move || {
        let jar = |name: &str| workdir.join(name).to_str().unwrap().to_owned();
        let (rex_jar, fido_jar) = (jar("rex.json"), jar("fido.json"));

        let mut rex = TerminalSession::start(
            WOOFER,
            &["--server", &base, "--cookie-jar", &rex_jar],
            &workdir,
            30,
            100,
        );
        rex.log_in("rex", "correct horse");
        rex.wait_for("Nothing here yet");
        rex.send(b"\t"); // Everyone
        rex.wait_for("Squirrel in the oak!");
        rex.send(b"u"); // fido's profile
        rex.wait_for("0 followers");
        rex.send(b"F");
        rex.wait_for("following @fido");
        rex.wait_for("1 follower ");
        rex.send(b"\x1b"); // back to Everyone
        rex.send(b"\t"); // Home
        rex.wait_for("Squirrel in the oak!");
        rex.send(b"f");
        rex.wait_for("♥ 1");
        rex.send(b"R");
        rex.wait_for("Reply to @fido");
        rex.type_text("On my way");
        rex.send(b"\x13"); // Ctrl+S
        rex.wait_for("replied to @fido");
        rex.wait_for("↳ @fido");
        let rex_home = rex.screen();
        rex.send(b"q");
        assert!(rex.wait_exit());

        let mut fido = TerminalSession::start(
            WOOFER,
            &["--server", &base, "--cookie-jar", &fido_jar],
            &workdir,
            30,
            100,
        );
        fido.log_in("fido", "correct horse");
        fido.wait_for("Squirrel in the oak!");
        let fido_home = fido.screen();
        fido.send(b"\r"); // the woof's thread
        fido.wait_for("Thread of @fido's woof");
        fido.wait_for("On my way");
        let fido_thread = fido.screen();
        fido.send(b"\x03");
        assert!(fido.wait_exit());
        (rex_home, fido_home, fido_thread)
    })
    .await
    .unwrap();

    assert!(rex_home.contains("♥ 1  ↩ 1"), "{rex_home}");
    assert!(
        fido_home.contains("♡ 1  ↩ 1"),
        "fido sees rex's like and reply counted:\n{fido_home}"
    );
    assert!(fido_thread.contains("@rex"), "{fido_thread}");
    assert!(fido_thread.contains("↳ @fido"), "{fido_thread}");
    let replies = fido
        .get(&format!("/api/woofs/{squirrel}/replies"))
        .await
        .json();
    assert_eq!(replies["woofs"][0]["body"], "On my way");
    assert_eq!(replies["woofs"][0]["author"], "rex");
}

/// At the classic 80×24 the help is taller than the screen: the real
/// binary scrolls it to its last key with PgDn, says where it is, and any
/// other key closes it; the hint bar still ends with `? help`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_help_scrolls_to_its_end_on_an_80_by_24_terminal() {
    let server = TestServer::start(ServerOptions::default()).await;
    ApiClient::registered(server.base_url(), "rex").await;
    let dir = tempfile::tempdir().unwrap();
    let base = server.base_url().to_owned();

    let (opened, scrolled, closed) = tokio::task::spawn_blocking(move || {
        let jar = dir.path().join("cookies.json");
        let jar = jar.to_str().unwrap().to_owned();
        let args = ["--server", &base, "--cookie-jar", &jar];
        let mut term = TerminalSession::start(WOOFER, &args, dir.path(), 24, 80);
        term.log_in("rex", "correct horse");
        term.wait_for("? help");
        term.send(b"?");
        term.wait_for("more below");
        let opened = term.screen();
        term.send(b"\x1b[6~\x1b[6~"); // PgDn twice
        term.wait_for("more above");
        let scrolled = term.screen();
        term.send(b"x");
        term.wait_for("? help");
        let closed = term.screen();
        term.send(b"q");
        assert!(term.wait_exit());
        (opened, scrolled, closed)
    })
    .await
    .unwrap();

    assert!(!opened.contains("any other key does too"), "{opened}");
    assert!(scrolled.contains("any other key does too"), "{scrolled}");
    assert!(!closed.contains("Keys"), "{closed}");
    let bar = closed.lines().last().unwrap().trim_end();
    assert!(bar.ends_with("? help"), "{bar}");
}

/// A woof posted by another client appears on the screen by itself, with
/// no key pressed, and leaves it when deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_woof_posted_elsewhere_appears_without_a_key_press() {
    let server = TestServer::start(ServerOptions::default()).await;
    let fido = ApiClient::registered(server.base_url(), "fido").await;
    fido.post_woof("First bark of the day").await;
    ApiClient::registered(server.base_url(), "rex").await;
    let dir = tempfile::tempdir().unwrap();
    let base = server.base_url().to_owned();
    let runtime = tokio::runtime::Handle::current();

    let workdir = dir.path().to_owned();
    let (arrived, gone) = tokio::task::spawn_blocking(move || {
        let jar = workdir.join("rex.json").to_str().unwrap().to_owned();
        let mut rex = TerminalSession::start(
            WOOFER,
            &["--server", &base, "--cookie-jar", &jar],
            &workdir,
            30,
            100,
        );
        rex.log_in("rex", "correct horse");
        rex.wait_for("Nothing here yet");
        rex.send(b"\t"); // Everyone
        rex.wait_for("First bark of the day");
        rex.wait_for("● live");

        let posted = runtime.block_on(fido.post_woof("Mail truck!!")).json();
        rex.wait_for("Mail truck!!");
        let arrived = rex.screen();
        let id = posted["woof"]["id"].as_i64().unwrap();
        runtime.block_on(fido.delete(&format!("/api/woofs/{id}")));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while rex.screen().contains("Mail truck!!") && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let gone = rex.screen();
        rex.send(b"q");
        assert!(rex.wait_exit());
        (arrived, gone)
    })
    .await
    .unwrap();

    let top = arrived
        .lines()
        .position(|l| l.contains("Mail truck!!"))
        .unwrap();
    let older = arrived
        .lines()
        .position(|l| l.contains("First bark of the day"))
        .unwrap();
    assert!(top < older, "the new woof is on top:\n{arrived}");
    assert!(!gone.contains("Mail truck!!"), "deleted:\n{gone}");
    assert!(gone.contains("First bark of the day"), "{gone}");
}

/// Rex follows luna, who has never woofed, so Home shows nothing of hers:
/// her first woof still comes to rex's Home live, with no key pressed,
/// and a woof of a dog rex does not follow stays off it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followed_dogs_first_woof_comes_to_home_live() {
    let server = TestServer::start(ServerOptions::default()).await;
    let luna = ApiClient::registered(server.base_url(), "luna").await;
    let bruno = ApiClient::registered(server.base_url(), "bruno").await;
    let rex = ApiClient::registered(server.base_url(), "rex").await;
    assert_eq!(
        rex.put("/api/users/luna/follow").await.status,
        reqwest::StatusCode::NO_CONTENT
    );
    let dir = tempfile::tempdir().unwrap();
    let base = server.base_url().to_owned();
    let runtime = tokio::runtime::Handle::current();

    let workdir = dir.path().to_owned();
    let home = tokio::task::spawn_blocking(move || {
        let jar = workdir.join("rex.json").to_str().unwrap().to_owned();
        let mut term = TerminalSession::start(
            WOOFER,
            &["--server", &base, "--cookie-jar", &jar],
            &workdir,
            30,
            100,
        );
        term.log_in("rex", "correct horse");
        term.wait_for("Nothing here yet");
        term.wait_for("● live");
        // Whom rex follows has come once no request is out (no spinner).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while SPINNER.iter().any(|s| term.screen().contains(s))
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }

        runtime.block_on(bruno.post_woof("Not for rex's Home"));
        runtime.block_on(luna.post_woof("Zoomies in the garden!"));
        term.wait_for("Zoomies in the garden!");
        let home = term.screen();
        term.send(b"q");
        assert!(term.wait_exit());
        home
    })
    .await
    .unwrap();

    assert!(home.contains("@luna"), "{home}");
    assert!(!home.contains("Not for rex's Home"), "{home}");
    assert!(!home.contains("Nothing here yet"), "{home}");
}

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
