//! Drawing the whole app for one frame.

use ratatui::layout::{Constraint, Layout};
use ratatui::Frame;
use time::OffsetDateTime;

use crate::app::{App, Screen};
use crate::components::status_bar::StatusBar;
use crate::components::{confirm, help};

pub fn draw(frame: &mut Frame, app: &mut App, now: OffsetDateTime) {
    let [main, bar] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(frame.area());
    match app.screen {
        Screen::Login => app.login.draw(frame, main, app.tick),
        Screen::Feed => {
            let me = app.user.as_ref().map(|u| u.username.clone());
            app.feed.draw(frame, main, me.as_deref(), now);
            if app.compose.open {
                app.compose.draw(frame, main, app.tick);
            }
            if app.confirm_delete.is_some() {
                confirm::draw(frame, main, "Delete this woof?");
            }
        }
    }
    if app.help_open {
        help::draw(frame, main);
    }
    StatusBar {
        user: app.user.as_ref().map(|u| u.username.as_str()),
        server: &app.server,
        status: app.status.as_ref(),
        busy: app.pending > 0,
        tick: app.tick,
        keys: app.keys_hint(),
    }
    .draw(frame, bar);
}
