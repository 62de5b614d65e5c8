//! What a command prints: short aligned lines for people, or the API's
//! objects for scripts (`--json`: a single result as the bare object, a
//! list as JSON Lines). Server text is scrubbed in human output exactly
//! as the app scrubs it.

use std::io::{self, IsTerminal, Write};

use crossterm::style::Stylize;
use serde::Serialize;
use time::OffsetDateTime;
use woofer_shared::api::{Profile, Session, User, Woof};
use woofer_shared::WoofId;

use crate::relative_time::ago;
use crate::text::{scrub, width};

pub struct Printer {
    json: bool,
    colour: bool,
    out: io::Stdout,
}

impl Printer {
    pub fn new(json: bool) -> Self {
        let out = io::stdout();
        // Colour only for a person at a terminal, and never under NO_COLOR.
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let colour = !json && !no_color && out.is_terminal();
        Self { json, colour, out }
    }

    fn line(&mut self, text: &str) {
        // A closed pipe (`woofer feed | head`) ends the output, not the dog.
        let _ = writeln!(self.out.lock(), "{text}");
    }

    fn object(&mut self, value: &impl Serialize) {
        let text = serde_json::to_string(value).expect("API objects serialise");
        self.line(&text);
    }

    fn name(&self, name: &str) -> String {
        let name = format!("@{}", scrub(name, false));
        if self.colour {
            name.yellow().bold().to_string()
        } else {
            name
        }
    }

    fn dim(&self, text: String) -> String {
        if self.colour {
            text.dark_grey().to_string()
        } else {
            text
        }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    /// A sentence for people (`Logged out.`); nothing under `--json`.
    pub fn said(&mut self, sentence: &str) {
        if !self.json {
            self.line(sentence);
        }
    }

    pub fn user(&mut self, user: &User, sentence: &str) {
        if self.json {
            self.object(user);
        } else {
            let name = self.name(&user.username);
            self.line(&format!("{sentence} {name}"));
        }
    }

    pub fn whoami(&mut self, user: &User) {
        if self.json {
            self.object(user);
        } else {
            let name = self.name(&user.username);
            let joined = self.dim(format!("joined {}", day(user)));
            self.line(&format!("{name}  {joined}"));
        }
    }

    /// `@rex  12 woofs  3 followers  2 following  joined 2026-11-25`, and
    /// `you follow @rex` when you do.
    pub fn profile(&mut self, profile: &Profile) {
        if self.json {
            self.object(profile);
        } else {
            let name = self.name(&profile.user.username);
            let woofs = counted(profile.woof_count, "woof", "woofs");
            let followers = counted(profile.follower_count, "follower", "followers");
            let following = format!("{} following", profile.following_count);
            let joined = self.dim(format!("joined {}", day(&profile.user)));
            let mut line = format!("{name}  {woofs}  {followers}  {following}  {joined}");
            if profile.followed_by_me {
                line.push_str("  you follow them");
            }
            self.line(&line);
        }
    }

    /// Dogs, one per line: `@rex  joined 2026-11-25`.
    pub fn users(&mut self, users: &[User]) {
        if self.json {
            users.iter().for_each(|u| self.object(u));
            return;
        }
        let names: Vec<String> = users
            .iter()
            .map(|u| format!("@{}", scrub(&u.username, false)))
            .collect();
        let name_width = names.iter().map(|n| width(n)).max().unwrap_or(0);
        for (user, name) in users.iter().zip(&names) {
            let pad = " ".repeat(name_width - width(name));
            let name = self.name(&user.username);
            let joined = self.dim(format!("joined {}", day(user)));
            self.line(&format!("{name}{pad}  {joined}"));
        }
    }

    /// The top of `woofer show`: the woof answered (when shown), then the
    /// woof itself; under `--json` the woof alone.
    pub fn thread_head(&mut self, parent: Option<&Woof>, woof: &Woof, now: OffsetDateTime) {
        if self.json {
            self.object(woof);
            return;
        }
        let head: Vec<Woof> = parent.into_iter().chain([woof]).cloned().collect();
        self.woofs(&head, now);
    }

    /// A thread's replies, set in by two spaces under the woof they answer.
    pub fn replies(&mut self, woofs: &[Woof], now: OffsetDateTime) {
        if self.json {
            woofs.iter().for_each(|w| self.object(w));
            return;
        }
        for line in self.woof_lines(woofs, now) {
            self.line(&format!("  {line}"));
        }
    }

    /// The new woof's id, for `id=$(woofer post …)`; the Woof under `--json`.
    pub fn posted(&mut self, woof: &Woof) {
        if self.json {
            self.object(woof);
        } else {
            self.line(&woof.id.to_string());
        }
    }

    /// Sessions: `*` for this one, the id, when last seen, since when,
    /// and the client it began with.
    pub fn sessions(&mut self, sessions: &[Session], now: OffsetDateTime) {
        if self.json {
            sessions.iter().for_each(|s| self.object(s));
            return;
        }
        let seen: Vec<String> = sessions
            .iter()
            .map(|s| format!("seen {} ago", ago(s.last_seen_at, now)))
            .collect();
        let seen_width = seen.iter().map(String::len).max().unwrap_or(0);
        for (session, seen) in sessions.iter().zip(&seen) {
            let mark = if session.current { "*" } else { " " };
            let since = &session.created_at.to_string()[..10];
            let agent = session
                .user_agent
                .as_deref()
                .map_or_else(|| "(no client named)".to_owned(), |a| scrub(a, false));
            let seen = self.dim(format!("{seen:<seen_width$}"));
            let since = self.dim(format!("since {since}"));
            self.line(&format!("{mark} {}  {seen}  {since}  {agent}", session.id));
        }
    }

    /// A page of woofs: one line each, id, age and author aligned; a reply
    /// says which woof it answers (`↳ 12`), and likes (`♥` when yours,
    /// else `♡`) and replies (`↩`) are counted after the body when any.
    pub fn woofs(&mut self, woofs: &[Woof], now: OffsetDateTime) {
        if self.json {
            woofs.iter().for_each(|w| self.object(w));
            return;
        }
        for line in self.woof_lines(woofs, now) {
            self.line(&line);
        }
    }

    fn woof_lines(&self, woofs: &[Woof], now: OffsetDateTime) -> Vec<String> {
        let id_width = woofs
            .iter()
            .map(|w| w.id.to_string().len())
            .max()
            .unwrap_or(0);
        let ages: Vec<String> = woofs.iter().map(|w| ago(w.created_at, now)).collect();
        let age_width = ages.iter().map(String::len).max().unwrap_or(0);
        let names: Vec<String> = woofs
            .iter()
            .map(|w| format!("@{}", scrub(&w.author, false)))
            .collect();
        let name_width = names.iter().map(|n| width(n)).max().unwrap_or(0);
        let mut lines = Vec::new();
        for ((woof, age), name) in woofs.iter().zip(&ages).zip(&names) {
            let id = self.dim(format!("{:>id_width$}", woof.id));
            let age = self.dim(format!("{age:>age_width$}"));
            let pad = " ".repeat(name_width - width(name));
            let name = if self.colour {
                name.clone().yellow().bold().to_string()
            } else {
                name.clone()
            };
            let answers = woof
                .reply_to
                .map(|to| self.dim(format!("↳ {to}  ")))
                .unwrap_or_default();
            let body = scrub(&woof.body, false);
            let counts = counts(woof);
            let counts = if counts.is_empty() {
                counts
            } else {
                format!("  {}", self.dim(counts))
            };
            lines.push(format!("{id}  {age}  {name}{pad}  {answers}{body}{counts}"));
        }
        lines
    }

    /// A woof from the live stream: a line as `feed` prints it, or under
    /// `--json` a line `{"event": "woof", "woof": Woof}`.
    pub fn live_woof(&mut self, woof: &Woof, now: OffsetDateTime) {
        if self.json {
            self.object(&serde_json::json!({"event": "woof", "woof": woof}));
        } else {
            self.woofs(std::slice::from_ref(woof), now);
        }
    }

    /// A deletion from the live stream; `{"event": "delete", "id": N}`.
    pub fn live_deleted(&mut self, id: WoofId) {
        if self.json {
            self.object(&serde_json::json!({"event": "delete", "id": id}));
        } else {
            let line = self.dim(format!("{id}  deleted"));
            self.line(&line);
        }
    }

    /// Too many woofs were missed to replay; `{"event": "reload"}`.
    pub fn live_reload(&mut self) {
        if self.json {
            self.object(&serde_json::json!({"event": "reload"}));
        } else {
            let line = self.dim("(more woofs were posted while away than can be replayed: `woofer feed` shows them)".to_owned());
            self.line(&line);
        }
    }
}

/// `♥ 3  ↩ 2`: likes and replies, each only when there are any.
fn counts(woof: &Woof) -> String {
    let heart = if woof.liked_by_me { '♥' } else { '♡' };
    let likes =
        (woof.like_count > 0 || woof.liked_by_me).then(|| format!("{heart} {}", woof.like_count));
    let replies = (woof.reply_count > 0).then(|| format!("↩ {}", woof.reply_count));
    [likes, replies]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("  ")
}

fn counted(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn day(user: &User) -> String {
    user.created_at.to_string()[..10].to_owned()
}

#[cfg(test)]
mod tests {
    use woofer_shared::{Timestamp, UserId};

    use super::*;

    #[test]
    fn the_joining_day_is_the_date_alone() {
        let user = User {
            id: UserId(1),
            username: "rex".into(),
            created_at: Timestamp::from_unix(1_795_633_445),
        };
        assert_eq!(day(&user), "2026-11-25");
    }
}
