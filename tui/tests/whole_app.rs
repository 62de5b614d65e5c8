//! The whole app, headless: the library's own event loop with keys sent in
//! and frames read off ratatui's TestBackend, against a real server.

use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tokio::sync::{mpsc, watch};
use woofer::api::ApiClient;
use woofer::app::{App, Screen};
use woofer::jar::JarFile;
use woofer_tests::{ServerOptions, TestServer};

/// The app's loop on a task; keys go in, every drawn frame comes out.
struct HeadlessApp {
    keys: mpsc::UnboundedSender<Event>,
    frames: watch::Receiver<String>,
    running: tokio::task::JoinHandle<App>,
}

impl HeadlessApp {
    fn start(client: ApiClient) -> Self {
        let (app, first) = App::new(client.base_url(), client.has_session_cookie(), None);
        let (keys, keys_rx) = mpsc::unbounded_channel();
        let events = futures_util::stream::unfold(keys_rx, |mut rx| async move {
            rx.recv().await.map(|event| (Ok(event), rx))
        });
        let (frames_tx, frames) = watch::channel(String::new());
        let running = tokio::spawn(async move {
            let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
            let after_draw = move |t: &Terminal<TestBackend>| {
                frames_tx.send_replace(t.backend().to_string());
            };
            woofer::event_loop::run(&mut terminal, app, first, client, events, after_draw)
                .await
                .unwrap()
        });
        Self {
            keys,
            frames,
            running,
        }
    }

    fn press(&self, code: KeyCode) {
        self.keys
            .send(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
            .unwrap();
    }

    fn ctrl(&self, c: char) {
        self.keys
            .send(Event::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::CONTROL,
            )))
            .unwrap();
    }

    fn type_text(&self, text: &str) {
        text.chars().for_each(|c| self.press(KeyCode::Char(c)));
    }

    /// The first frame that shows `text`.
    async fn wait_for(&mut self, text: &str) -> String {
        let seen = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                let frame = self.frames.borrow_and_update().clone();
                if frame.contains(text) {
                    return frame;
                }
                self.frames.changed().await.expect("the app is running");
            }
        })
        .await;
        seen.unwrap_or_else(|_| panic!("{text:?} never appeared:\n{}", *self.frames.borrow()))
    }

    async fn quit(self) -> App {
        self.ctrl('c');
        tokio::time::timeout(Duration::from_secs(10), self.running)
            .await
            .expect("the loop ends on Ctrl+C")
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_post_delete_and_log_out_through_the_loop() {
    // Arrange: rex has an account, fido a woof; the app has an empty jar.
    let server = TestServer::start(ServerOptions::default()).await;
    woofer_tests::ApiClient::registered(server.base_url(), "rex").await;
    let fido = woofer_tests::ApiClient::registered(server.base_url(), "fido").await;
    fido.post_woof("Fido was here").await;
    let dir = tempfile::tempdir().unwrap();
    let jar = JarFile::new(dir.path().join("cookies.json"));
    let (client, _) = ApiClient::new(server.base_url(), Some(jar.clone()));
    let mut app = HeadlessApp::start(client);

    // Act and assert, step by step, as a dog would see it.
    app.wait_for("Woofer — log in").await;
    app.type_text("rex");
    app.press(KeyCode::Tab);
    app.type_text("correct horse");
    app.press(KeyCode::Enter);
    // Home first, with no one followed; fido is on Everyone.
    app.wait_for("Nothing here yet").await;
    app.press(KeyCode::Tab);
    let feed = app.wait_for("Fido was here").await;
    assert!(feed.contains("@rex"), "{feed}");
    let saved = std::fs::read_to_string(jar.path()).unwrap();
    assert!(saved.contains("woofer_session"), "the login is kept");

    app.press(KeyCode::Char('n'));
    app.wait_for("New woof").await;
    app.type_text("Rex, headless");
    app.ctrl('s');
    let posted = app.wait_for("woofed!").await;
    assert!(
        posted.contains("Rex, headless") && posted.contains("(you)"),
        "{posted}"
    );
    let everyone = fido.get("/api/woofs").await.json();
    let newest = &everyone["woofs"][0];
    assert_eq!(newest["body"], "Rex, headless", "the server has it");

    app.press(KeyCode::Char('d'));
    app.wait_for("Delete this woof?").await;
    app.press(KeyCode::Char('y'));
    let deleted = app.wait_for("woof deleted").await;
    assert!(!deleted.contains("Rex, headless"), "{deleted}");
    let gone = fido.get(&format!("/api/woofs/{}", newest["id"])).await;
    assert_eq!(gone.status, 404, "the server forgot it");

    app.press(KeyCode::Char('L'));
    let logged_out = app.wait_for("logged out").await;
    assert!(logged_out.contains("Woofer — log in"), "{logged_out}");
    let saved = std::fs::read_to_string(jar.path()).unwrap();
    assert!(
        !saved.contains("woofer_session"),
        "the jar forgot the session"
    );

    let app = app.quit().await;
    assert!(app.should_quit());
    assert!(matches!(app.screen(), Screen::Login(_)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_login_opens_on_the_feed() {
    let server = TestServer::start(ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let jar = JarFile::new(dir.path().join("cookies.json"));
    let (first, _) = ApiClient::new(server.base_url(), Some(jar.clone()));
    let rex = woofer_shared::Username::parse("rex").unwrap();
    let password = woofer_shared::Password::parse("correct horse").unwrap();
    first.register(&rex, &password).await.unwrap();
    first.save_jar().unwrap();

    let (client, _) = ApiClient::new(server.base_url(), Some(jar));
    let mut app = HeadlessApp::start(client);

    let feed = app.wait_for("Nothing here yet").await;
    assert!(
        feed.contains("@rex") && !feed.contains("Password"),
        "{feed}"
    );
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_panel_ends_other_sessions_and_changes_the_password() {
    let server = TestServer::start(ServerOptions::default()).await;
    woofer_tests::ApiClient::registered(server.base_url(), "rex").await;
    let elsewhere = woofer_tests::ApiClient::new(server.base_url());
    elsewhere.login("rex", "correct horse").await;
    let dir = tempfile::tempdir().unwrap();
    let (client, _) = ApiClient::new(
        server.base_url(),
        Some(JarFile::new(dir.path().join("jar"))),
    );
    let mut app = HeadlessApp::start(client);
    app.wait_for("Woofer — log in").await;
    app.type_text("rex");
    app.press(KeyCode::Tab);
    app.type_text("correct horse");
    app.press(KeyCode::Enter);
    app.wait_for("Nothing here yet").await;

    app.press(KeyCode::Char('a'));
    let panel = app.wait_for("(this one)").await;
    assert!(panel.contains("woofer/"), "the app names itself: {panel}");
    app.press(KeyCode::Char('X'));
    app.wait_for("every other session ended").await;
    assert_eq!(elsewhere.get("/api/session").await.status, 401);

    app.press(KeyCode::Char('p'));
    app.wait_for("A new password").await;
    app.type_text("correct horse");
    app.press(KeyCode::Tab);
    app.type_text("battery staple");
    app.press(KeyCode::Tab);
    app.type_text("battery staple");
    app.press(KeyCode::Enter);
    app.wait_for("password changed").await;

    let fresh = woofer_tests::ApiClient::new(server.base_url());
    assert_eq!(fresh.login("rex", "correct horse").await.status, 401);
    assert_eq!(fresh.login("rex", "battery staple").await.status, 200);
    app.quit().await;
}
