//! `woofer`: arguments, the terminal, and the guard that gives the
//! terminal back however the app ends. The app and its loop live in the
//! library.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Parser;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, EventStream};
use crossterm::execute;
use woofer::api::ApiClient;
use woofer::app::App;
use woofer::jar::JarFile;

/// Woofer, Twitter for dogs, in your terminal.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The Woofer server to talk to.
    #[arg(long, env = "WOOFER_SERVER", default_value = "http://127.0.0.1:8000")]
    server: String,
    /// Where the login is kept between runs [default: the platform's data
    /// directory, e.g. ~/.local/share/woofer/cookies.json].
    #[arg(long, env = "WOOFER_COOKIE_JAR")]
    cookie_jar: Option<PathBuf>,
}

/// Leaves the terminal as it was found when dropped: on quit, on error,
/// and on a panic (whose hook restores it first, so the message is
/// readable).
struct TerminalGuard;

impl TerminalGuard {
    fn restore() {
        let _ = execute!(io::stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        Self::restore();
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> io::Result<()> {
    let args = Args::parse();
    let jar = match args.cookie_jar.or_else(JarFile::default_path) {
        Some(path) => Some(JarFile::new(path)),
        None => {
            eprintln!(
                "woofer: no data directory found; set --cookie-jar to stay logged in between runs"
            );
            None
        }
    };
    let (client, warning) = ApiClient::new(&args.server, jar);
    let (app, first) = App::new(client.base_url(), client.has_session_cookie(), warning);

    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(e) => {
            // Nothing was drawn: only raw mode may need undoing.
            let _ = crossterm::terminal::disable_raw_mode();
            eprintln!("woofer: cannot use this terminal: {e}");
            std::process::exit(1);
        }
    };
    let guard = TerminalGuard;
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        TerminalGuard::restore();
        hook(info);
    }));
    execute!(io::stdout(), EnableBracketedPaste)?;

    let result = woofer::event_loop::run(
        &mut terminal,
        app,
        first,
        client.clone(),
        EventStream::new(),
        |_| {},
    )
    .await;

    drop(guard);
    if let Err(e) = client.save_jar() {
        eprintln!("woofer: cannot save the cookie jar: {e}");
    }
    let _ = io::stdout().flush();
    result.map(|_| ())
}
