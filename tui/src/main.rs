//! `woofer`: arguments; then either one command (`woofer post …`) or the
//! app, with the terminal and the guard that gives it back however the app
//! ends. The app, its loop and the commands live in the library.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, EventStream};
use crossterm::execute;
use woofer::api::ApiClient;
use woofer::app::App;
use woofer::cli::{self, Command};
use woofer::jar::JarFile;

/// Woofer, Twitter for dogs, in your terminal. Without a command it opens
/// the app; with one it does that and exits, sharing the app's login.
#[derive(Parser, Debug)]
#[command(version, about, after_help = cli::EXIT_STATUS_HELP)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// The Woofer server to talk to.
    #[arg(
        long,
        global = true,
        env = "WOOFER_SERVER",
        default_value = "http://127.0.0.1:8000"
    )]
    server: String,
    /// Where the login is kept between runs [default: the platform's data
    /// directory, e.g. ~/.local/share/woofer/cookies.json].
    #[arg(long, global = true, env = "WOOFER_COOKIE_JAR")]
    cookie_jar: Option<PathBuf>,
    /// Print the API's JSON objects: a single result as the object, a list
    /// as one object per line.
    #[arg(long, global = true)]
    json: bool,
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
async fn main() -> io::Result<ExitCode> {
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
    match args.command {
        None => run_app(client, warning).await,
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Args::command(), "woofer", &mut io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Some(command) => Ok(run_command(command, &client, args.json, warning).await),
    }
}

async fn run_command(
    command: Command,
    client: &ApiClient,
    json: bool,
    jar_warning: Option<String>,
) -> ExitCode {
    let result = cli::run(command, client, json).await;
    // A jar set aside is worth a line to a person, or beside a failure.
    if let Some(warning) = jar_warning.filter(|_| result.is_err() || io::stderr().is_terminal()) {
        eprintln!("woofer: {warning}");
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.line());
            failure.exit.into()
        }
    }
}

async fn run_app(client: ApiClient, warning: Option<String>) -> io::Result<ExitCode> {
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
    result.map(|_| ExitCode::SUCCESS)
}
