//! `woofer <command>`: one action, then exit — the same API client, jar
//! and rules as the app, for scripts and shells.

pub mod failure;
pub mod input;
pub mod output;
pub mod watch;

use std::io::{self, IsTerminal, Write};

use clap::{Args, Subcommand};
use time::OffsetDateTime;
use woofer_shared::{Password, Username, WoofBody, WoofId};

use crate::api::{ApiClient, Feed, Follows};
use failure::Failure;
use output::Printer;

/// Appended to `woofer --help`.
pub const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  success
  1  the server or the network said no, or a value breaks the rules
  2  usage error (a wrong command, flag or value)
  3  not logged in, or the saved session has ended: run `woofer login`
  4  rate-limited: the message says how many seconds to wait";

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create an account and log in with it.
    Register(Credentials),
    /// Log in; the login is kept for the app and the next commands.
    Login(Credentials),
    /// End the session on the server and forget it here.
    Logout,
    /// Who is logged in.
    Whoami,
    /// Post a woof (its words joined by single spaces; `-` reads standard
    /// input). Prints the new woof's id.
    Post {
        /// Answer this woof.
        #[arg(long, value_name = "ID", value_parser = clap::value_parser!(i64).range(1..))]
        reply_to: Option<i64>,
        #[arg(required = true, value_name = "TEXT")]
        words: Vec<String>,
    },
    /// Your home timeline: the dogs you follow, and you, newest first.
    Timeline(Paging),
    /// Every dog's woofs, newest first.
    Feed(Paging),
    /// One dog's woofs, newest first.
    Woofs {
        name: String,
        #[command(flatten)]
        paging: Paging,
    },
    /// A dog's profile: woofs, followers, following.
    Profile { name: String },
    /// A woof in its thread: the woof it answers (if any), the woof, and
    /// its replies, oldest first.
    Show {
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
        /// Replies per page.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100))]
        limit: u32,
        /// Only replies newer than this id.
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..))]
        after: Option<i64>,
        /// Every page of replies.
        #[arg(long)]
        all: bool,
    },
    /// Like a woof.
    Like {
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
    },
    /// Stop liking a woof.
    Unlike {
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
    },
    /// Follow a dog: its woofs join your timeline.
    Follow { name: String },
    /// Stop following a dog.
    Unfollow { name: String },
    /// The dogs that follow a dog, most recent first.
    Followers {
        name: String,
        #[command(flatten)]
        paging: DogPaging,
    },
    /// The dogs a dog follows, most recent first.
    Following {
        name: String,
        #[command(flatten)]
        paging: DogPaging,
    },
    /// Every new woof as it is posted, and deletions, until interrupted
    /// (or the session ends). Reconnects by itself, missing nothing.
    Watch {
        /// First the woofs posted after this id (at most 100; more and it
        /// says to reload the feed).
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..))]
        after: Option<i64>,
    },
    /// Delete one of your woofs.
    Delete {
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
    },
    /// Where you are logged in (`*` marks this one); `end ID` or
    /// `end-others` logs out there.
    Sessions {
        #[command(subcommand)]
        action: Option<SessionsAction>,
    },
    /// Change your password; every other session ends.
    Passwd {
        /// Read the current password, then the new one, as two lines of
        /// standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Delete your account: your woofs and sessions go with it.
    DeleteAccount {
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Confirm without typing your name (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// Shell completions, to be sourced by the shell.
    Completions { shell: clap_complete::Shell },
}

#[derive(Subcommand, Debug)]
pub enum SessionsAction {
    /// End one session: its id as `woofer sessions` shows it.
    End { id: String },
    /// End every session but this one.
    EndOthers,
}

#[derive(Args, Debug)]
pub struct Credentials {
    /// Asked for when missing.
    name: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Args, Debug)]
pub struct Paging {
    /// Woofs per page.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100))]
    limit: u32,
    /// Only woofs older than this id.
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..))]
    before: Option<i64>,
    /// Every page, to the oldest woof.
    #[arg(long)]
    all: bool,
}

#[derive(Args, Debug)]
pub struct DogPaging {
    /// Dogs per page.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100))]
    limit: u32,
    /// Only dogs past this cursor (an API page's `next_before`).
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..))]
    before: Option<i64>,
    /// Every page.
    #[arg(long)]
    all: bool,
}

/// Runs one command (but `completions`, which needs the whole command
/// line's description) and saves the jar, whatever the outcome.
pub async fn run(command: Command, client: &ApiClient, json: bool) -> Result<(), Failure> {
    let mut out = Printer::new(json);
    let result = perform(command, client, &mut out).await;
    // The server may have set or removed the session cookie either way.
    let saved = client
        .save_jar()
        .map_err(|e| Failure::failed(format!("cannot save the cookie jar: {e}")));
    result.and(saved)
}

async fn perform(command: Command, client: &ApiClient, out: &mut Printer) -> Result<(), Failure> {
    match command {
        Command::Register(credentials) => {
            let (name, password) = credentials.read()?;
            let user = client.register(&name, &password).await?;
            out.user(&user, "Welcome to Woofer,");
        }
        Command::Login(credentials) => {
            let (name, password) = credentials.read()?;
            let user = client.login(&name, &password).await?;
            out.user(&user, "Logged in as");
        }
        Command::Logout => {
            client.logout().await?;
            out.said("Logged out.");
        }
        Command::Whoami => out.whoami(&client.whoami().await?),
        Command::Post { reply_to, words } => {
            let text = match words.as_slice() {
                [dash] if dash == "-" => input::all_of_stdin()?,
                _ => words.join(" "),
            };
            let body = WoofBody::parse(&text)?;
            out.posted(&client.post(&body, reply_to.map(WoofId)).await?);
        }
        Command::Timeline(paging) => paging.walk(client, &Feed::Home, out).await?,
        Command::Feed(paging) => paging.walk(client, &Feed::Everyone, out).await?,
        Command::Woofs { name, paging } => {
            let feed = Feed::Dog(Username::parse(&name)?);
            paging.walk(client, &feed, out).await?;
        }
        Command::Profile { name } => out.profile(&client.profile(&Username::parse(&name)?).await?),
        Command::Show {
            id,
            limit,
            after,
            all,
        } => show(client, WoofId(id), limit, after.map(WoofId), all, out).await?,
        Command::Like { id } => {
            client.like(WoofId(id), true).await?;
            out.said(&format!("Liked woof {id}."));
        }
        Command::Unlike { id } => {
            client.like(WoofId(id), false).await?;
            out.said(&format!("No longer liking woof {id}."));
        }
        Command::Follow { name } => {
            let name = Username::parse(&name)?;
            client.follow(&name, true).await?;
            out.said(&format!("Following @{name}."));
        }
        Command::Unfollow { name } => {
            let name = Username::parse(&name)?;
            client.follow(&name, false).await?;
            out.said(&format!("No longer following @{name}."));
        }
        Command::Followers { name, paging } => {
            paging.walk(client, &name, Follows::Followers, out).await?
        }
        Command::Following { name, paging } => {
            paging.walk(client, &name, Follows::Following, out).await?
        }
        Command::Watch { after } => watch::watch(client, out, after.map(WoofId)).await?,
        Command::Delete { id } => {
            client.delete(WoofId(id)).await?;
            out.said(&format!("Deleted woof {id}."));
        }
        Command::Sessions { action: None } => {
            out.sessions(&client.sessions().await?, OffsetDateTime::now_utc())
        }
        Command::Sessions {
            action: Some(SessionsAction::End { id }),
        } => {
            client.end_session(&id).await?;
            out.said("Session ended.");
        }
        Command::Sessions {
            action: Some(SessionsAction::EndOthers),
        } => {
            client.end_other_sessions().await?;
            out.said("Every other session ended.");
        }
        Command::Passwd { password_stdin } => {
            let (current, new) = input::password_change(password_stdin)?;
            // The rule first, as the server checks it: nothing is sent in vain.
            let new = Password::parse(&new)
                .map_err(|e| Failure::failed(format!("new password: {}", e.message)))?;
            client.change_password(&current, &new).await?;
            out.said("Password changed; every other session has ended.");
        }
        Command::DeleteAccount {
            password_stdin,
            yes,
        } => {
            let me = client.whoami().await?;
            if !yes {
                let prompt = format!(
                    "This deletes @{} and every woof of it. Type the name to confirm: ",
                    me.username
                );
                input::confirm_by_typing(&me.username, &prompt)?;
            }
            let password = input::password(password_stdin)?;
            client.delete_account(&password).await?;
            out.said(&format!("Deleted @{}. Goodbye.", me.username));
        }
        Command::Completions { .. } => unreachable!("main writes completions"),
    }
    Ok(())
}

impl Credentials {
    /// Name and password, checked with the shared rules before sending:
    /// one that breaks them can belong to no dog.
    fn read(self) -> Result<(Username, Password), Failure> {
        let name = Username::parse(&input::username(self.name)?)?;
        let password = Password::parse(&input::password(self.password_stdin)?)?;
        Ok((name, password))
    }
}

impl Paging {
    /// One page, or with `--all` every page, printed as it arrives.
    async fn walk(
        &self,
        client: &ApiClient,
        feed: &Feed,
        out: &mut Printer,
    ) -> Result<(), Failure> {
        let now = OffsetDateTime::now_utc();
        let mut progress = Progress::new(self.all);
        let mut before = self.before.map(WoofId);
        loop {
            let page = client.page(feed, before, Some(self.limit)).await?;
            progress.clear();
            out.woofs(&page.woofs, now);
            progress.add(page.woofs.len());
            match page.next_before {
                Some(next) if self.all => before = Some(next),
                _ => break,
            }
        }
        progress.clear();
        Ok(())
    }
}

/// `woofer show`: the woof it answers (when there is one and it is still
/// there), the woof, then its replies page by page.
async fn show(
    client: &ApiClient,
    id: WoofId,
    limit: u32,
    after: Option<WoofId>,
    all: bool,
    out: &mut Printer,
) -> Result<(), Failure> {
    let now = OffsetDateTime::now_utc();
    let woof = client.woof(id).await?;
    let parent = match woof.reply_to {
        // A deleted parent is no failure: the reply still stands.
        Some(parent) if !out.is_json() && after.is_none() => client.woof(parent).await.ok(),
        _ => None,
    };
    out.thread_head(parent.as_ref(), &woof, now);
    let mut after = after;
    let mut progress = Progress::new(all);
    loop {
        let page = client.replies(id, after, Some(limit)).await?;
        progress.clear();
        out.replies(&page.woofs, now);
        progress.add(page.woofs.len());
        match page.next_after {
            Some(next) if all => after = Some(next),
            _ => break,
        }
    }
    progress.clear();
    Ok(())
}

impl DogPaging {
    /// One page of dogs, or with `--all` every page.
    async fn walk(
        &self,
        client: &ApiClient,
        name: &str,
        which: Follows,
        out: &mut Printer,
    ) -> Result<(), Failure> {
        let name = Username::parse(name)?;
        let mut before = self.before;
        loop {
            let page = client
                .follows(&name, which, before, Some(self.limit))
                .await?;
            out.users(&page.users);
            match page.next_before {
                Some(next) if self.all => before = Some(next),
                _ => break,
            }
        }
        Ok(())
    }
}

/// "1,240 woofs…" on standard error while `--all` walks, when a person is
/// there to see it.
struct Progress {
    shown: bool,
    count: usize,
}

impl Progress {
    fn new(all: bool) -> Self {
        Self {
            shown: all && io::stderr().is_terminal(),
            count: 0,
        }
    }

    fn add(&mut self, n: usize) {
        self.count += n;
        if self.shown {
            eprint!("\r\x1b[K{} woofs…", self.count);
            let _ = io::stderr().flush();
        }
    }

    fn clear(&self) {
        if self.shown {
            eprint!("\r\x1b[K");
        }
    }
}
