//! The event loop: terminal events, network outcomes and a ticking clock
//! come in through one channel; the app updates and the frame is drawn.
//! Network work runs on tasks of its own, so a frame never waits on it.
//! Generic over the backend, so a test drives the whole app headless.

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::Event;
use futures_util::{Stream, StreamExt};
use ratatui::backend::{Backend, ClearType};
use ratatui::Terminal;
use time::OffsetDateTime;
use tokio::sync::mpsc;

use crate::api::ApiClient;
use crate::app::App;
use crate::effect::{self, Effect, Outcome};
use crate::live_link;

/// The spinner's pace.
const TICK: Duration = Duration::from_millis(120);
/// Idle redraws, so "3m ago" keeps up.
const IDLE_REDRAW: Duration = Duration::from_secs(30);

enum AppEvent {
    Terminal(Event),
    Outcome(Outcome),
    Tick,
}

/// Runs `app` until it quits or the terminal's events end, and hands it
/// back. `first` are the effects `App::new` asked for; `after_draw` sees
/// every frame (a test reads the screen there).
pub async fn run<B, E>(
    terminal: &mut Terminal<B>,
    mut app: App,
    first: Vec<Effect>,
    client: ApiClient,
    terminal_events: E,
    mut after_draw: impl FnMut(&Terminal<B>),
) -> Result<App, B::Error>
where
    B: Backend,
    E: Stream<Item = io::Result<Event>> + Send + 'static,
{
    let (tx, mut rx) = mpsc::unbounded_channel();
    let events_tx = tx.clone();
    let events = tokio::spawn(async move {
        let mut events = std::pin::pin!(terminal_events);
        while let Some(Ok(event)) = events.next().await {
            if events_tx.send(AppEvent::Terminal(event)).is_err() {
                break;
            }
        }
    });
    let tick_tx = tx.clone();
    let ticks = tokio::spawn(async move {
        let mut interval = tokio::time::interval(TICK);
        loop {
            interval.tick().await;
            if tick_tx.send(AppEvent::Tick).is_err() {
                break;
            }
        }
    });
    // The live stream's task, while a dog is logged in.
    let mut live: Option<tokio::task::JoinHandle<()>> = None;
    carry_out(&client, first, &tx, &mut live);

    let result: Result<(), B::Error> = async {
        loop {
            terminal.draw(|frame| crate::ui::draw(frame, &mut app, OffsetDateTime::now_utc()))?;
            after_draw(terminal);
            let last_draw = Instant::now();
            // Wait for something that changes the screen; idle ticks redraw
            // only for the spinner, and now and then for the times.
            let effects = loop {
                let Some(event) = rx.recv().await else {
                    return Ok(());
                };
                match event {
                    AppEvent::Terminal(Event::Key(key)) => break app.on_key(key),
                    AppEvent::Terminal(Event::Paste(text)) => {
                        app.on_paste(&text);
                        break Vec::new();
                    }
                    AppEvent::Terminal(Event::Resize(..)) => {
                        // A terminal may drop or reflow what it showed while
                        // it was resized, even when it ends at the size of the
                        // last frame: paint the next frame whole, not as a
                        // difference from the last. (`Terminal::clear` would
                        // also ask the terminal where its cursor is; no need.)
                        terminal.backend_mut().clear_region(ClearType::All)?;
                        terminal.swap_buffers();
                        break Vec::new();
                    }
                    AppEvent::Terminal(_) => continue,
                    AppEvent::Outcome(outcome) => break app.on_outcome(outcome),
                    AppEvent::Tick => {
                        app.on_tick();
                        if app.pending() > 0 || last_draw.elapsed() > IDLE_REDRAW {
                            break Vec::new();
                        }
                    }
                }
            };
            carry_out(&client, effects, &tx, &mut live);
            if app.should_quit() {
                return Ok(());
            }
        }
    }
    .await;
    events.abort();
    ticks.abort();
    if let Some(live) = live {
        live.abort();
    }
    result.map(|()| app)
}

fn carry_out(
    client: &ApiClient,
    effects: Vec<Effect>,
    tx: &mpsc::UnboundedSender<AppEvent>,
    live: &mut Option<tokio::task::JoinHandle<()>>,
) {
    for effect in effects {
        match effect {
            Effect::Live(true) => {
                if live.as_ref().is_none_or(|task| task.is_finished()) {
                    let (client, tx) = (client.clone(), tx.clone());
                    *live = Some(tokio::spawn(live_link::follow(client, move |update| {
                        tx.send(AppEvent::Outcome(Outcome::Live(update))).is_ok()
                    })));
                }
            }
            Effect::Live(false) => {
                if let Some(task) = live.take() {
                    task.abort();
                }
            }
            Effect::SaveJar => {
                // Local and quick; a failure is worth a line, not a crash.
                if let Err(e) = client.save_jar() {
                    let _ = tx.send(AppEvent::Outcome(Outcome::JarNotSaved(e.to_string())));
                }
            }
            Effect::Request(request) => {
                let (client, tx) = (client.clone(), tx.clone());
                tokio::spawn(async move {
                    let outcome = effect::perform(&client, request).await;
                    let _ = tx.send(AppEvent::Outcome(outcome));
                });
            }
        }
    }
}
