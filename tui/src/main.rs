//! `woofer`: the terminal, the event loop, and the tasks that talk HTTP.

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, EventStream};
use crossterm::execute;
use futures_util::StreamExt;
use time::OffsetDateTime;
use tokio::sync::mpsc;
use woofer::api::ApiClient;
use woofer::app::{App, Command, Outcome};
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

enum AppEvent {
    Terminal(Event),
    Outcome(Outcome),
    Tick,
}

/// Leaves the terminal as it was found: on quit, on error and on panic.
fn restore_terminal() {
    let _ = execute!(io::stdout(), DisableBracketedPaste);
    ratatui::restore();
}

fn run_command(client: &ApiClient, command: Command, tx: &mpsc::UnboundedSender<AppEvent>) {
    if command == Command::SaveJar {
        // Local and quick; a failure is worth a line but not a crash.
        if let Err(e) = client.save_jar() {
            let _ = tx.send(AppEvent::Outcome(Outcome::JarNotSaved(e.to_string())));
        }
        return;
    }
    let (client, tx) = (client.clone(), tx.clone());
    tokio::spawn(async move {
        let outcome = match command {
            Command::CheckSession => Outcome::SessionChecked(client.whoami().await),
            Command::Login { username, password } => {
                Outcome::LoggedIn(client.login(&username, &password).await)
            }
            Command::Register { username, password } => {
                Outcome::LoggedIn(client.register(&username, &password).await)
            }
            Command::LoadNewest => Outcome::NewestLoaded(client.feed(None).await),
            Command::LoadOlder(before) => Outcome::OlderLoaded(client.feed(Some(before)).await),
            Command::Post(body) => Outcome::Posted(client.post(&body).await),
            Command::Delete(id) => Outcome::Deleted(id, client.delete(id).await),
            Command::Logout => Outcome::LoggedOut(client.logout().await),
            Command::SaveJar => unreachable!("handled above"),
        };
        let _ = tx.send(AppEvent::Outcome(outcome));
    });
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
    let (mut app, first) = App::new(client.base_url(), client.has_session_cookie(), warning);

    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(e) => {
            // Nothing was drawn: only raw mode may need undoing.
            let _ = crossterm::terminal::disable_raw_mode();
            eprintln!("woofer: cannot use this terminal: {e}");
            std::process::exit(1);
        }
    };
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    execute!(io::stdout(), EnableBracketedPaste)?;

    let (tx, mut rx) = mpsc::unbounded_channel();
    let events_tx = tx.clone();
    tokio::spawn(async move {
        let mut events = EventStream::new();
        while let Some(Ok(event)) = events.next().await {
            if events_tx.send(AppEvent::Terminal(event)).is_err() {
                break;
            }
        }
    });
    let tick_tx = tx.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_millis(120));
        loop {
            interval.tick().await;
            if tick_tx.send(AppEvent::Tick).is_err() {
                break;
            }
        }
    });
    for command in first {
        run_command(&client, command, &tx);
    }

    let mut last_draw = Instant::now() - Duration::from_secs(60);
    let result: io::Result<()> = async {
        loop {
            terminal.draw(|frame| woofer::ui::draw(frame, &mut app, OffsetDateTime::now_utc()))?;
            last_draw = Instant::now();
            // Wait for something that changes the screen; idle ticks redraw
            // only for the spinner, and twice a minute for "3m ago".
            let commands = loop {
                let Some(event) = rx.recv().await else {
                    return Ok(());
                };
                match event {
                    AppEvent::Terminal(Event::Key(key)) => break app.on_key(key),
                    AppEvent::Terminal(Event::Paste(text)) => {
                        app.on_paste(&text);
                        break Vec::new();
                    }
                    AppEvent::Terminal(Event::Resize(..)) => break Vec::new(),
                    AppEvent::Terminal(_) => continue,
                    AppEvent::Outcome(outcome) => break app.on_outcome(outcome),
                    AppEvent::Tick => {
                        app.on_tick();
                        if app.pending > 0
                            || app.login.pending
                            || last_draw.elapsed() > Duration::from_secs(30)
                        {
                            break Vec::new();
                        }
                    }
                }
            };
            for command in commands {
                run_command(&client, command, &tx);
            }
            if app.should_quit {
                return Ok(());
            }
        }
    }
    .await;

    restore_terminal();
    if let Err(e) = client.save_jar() {
        eprintln!("woofer: cannot save the cookie jar: {e}");
    }
    let _ = io::stdout().flush();
    result
}
