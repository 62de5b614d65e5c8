//! Every screen drawn on ratatui's TestBackend and checked as a snapshot.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use time::macros::datetime;
use time::OffsetDateTime;
use woofer::api::ApiError;
use woofer::api::Feed;
use woofer::api::LiveEvent;
use woofer::app::{App, Screen};
use woofer::effect::{Outcome, Request};
use woofer::live_link::LiveUpdate;
use woofer_shared::api::{ErrorCode, FeedPage, Profile, ReplyPage, Session, User, UserPage, Woof};
use woofer_shared::{Timestamp, UserId, Username, WoofId};

const NOW: OffsetDateTime = datetime!(2026-11-25 19:04:05 UTC);

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.on_key(key(KeyCode::Char(c)));
    }
}

fn woof(id: i64, author: &str, ago_secs: i64, body: &str) -> Woof {
    Woof {
        id: WoofId(id),
        author: author.into(),
        body: body.into(),
        created_at: Timestamp::from(NOW - time::Duration::seconds(ago_secs)),
        reply_to: None,
        reply_count: 0,
        like_count: 0,
        liked_by_me: false,
    }
}

fn login_screen() -> App {
    App::new("http://127.0.0.1:8000", false, None).0
}

/// Rex's Home with these woofs; rex follows the dogs that woof in them.
fn feed_screen(woofs: Vec<Woof>) -> App {
    feed_screen_following(woofs, &["fido", "luna", "bruno"])
}

fn feed_screen_following(woofs: Vec<Woof>, names: &[&str]) -> App {
    let mut app = login_screen();
    app.on_outcome(Outcome::LoggedIn(Ok(rex())));
    app.on_outcome(Outcome::NewestLoaded(
        Feed::Home,
        Ok(FeedPage {
            woofs,
            next_before: None,
        }),
    ));
    let following = UserPage {
        users: names
            .iter()
            .zip(2..)
            .map(|(name, id)| User {
                id: UserId(id),
                username: (*name).into(),
                created_at: Timestamp::from(NOW),
            })
            .collect(),
        next_before: None,
    };
    app.on_outcome(Outcome::FollowingLoaded(None, Ok(following)));
    app
}

fn sample_woofs() -> Vec<Woof> {
    vec![
        woof(6, "rex", 30, "Squirrel!! 🐿️ by the big oak"),
        woof(
            5,
            "fido",
            3 * 60,
            "日本語のわんわん、とても長い文章を書いてみます。折り返しが正しいか確認します。",
        ),
        woof(
            4,
            "luna",
            2 * 3600,
            "A family: 👨‍👩‍👧‍👦 and an accent: café (e\u{301})",
        ),
        woof(
            3,
            "bruno",
            5 * 86400,
            &"Long body that goes on and on about the postman. ".repeat(5),
        ),
        woof(2, "rex", 6 * 86400, "line one\nline two"),
    ]
}

fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| woofer::ui::draw(frame, app, NOW))
        .unwrap();
    terminal
}

#[test]
fn login_empty() {
    let mut app = login_screen();
    insta::assert_snapshot!(draw(&mut app, 80, 20).backend());
}

#[test]
fn login_with_error_and_masked_password() {
    let mut app = login_screen();
    type_text(&mut app, "rex");
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "hunter2hunter2");
    app.on_key(key(KeyCode::Enter));
    app.on_outcome(Outcome::LoggedIn(Err(ApiError::Server {
        code: ErrorCode::InvalidCredentials,
        message: "wrong username or password".into(),
        field: None,
        retry_after: None,
    })));
    let terminal = draw(&mut app, 80, 20);
    let screen = format!("{}", terminal.backend());
    assert!(!screen.contains("hunter2"), "the password is masked");
    insta::assert_snapshot!(screen);
}

#[test]
fn login_create_account_with_rule_error() {
    let mut app = login_screen();
    app.on_key(ctrl('n'));
    type_text(&mut app, "Rex!");
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "correct horse");
    app.on_key(key(KeyCode::Enter));
    insta::assert_snapshot!(draw(&mut app, 80, 20).backend());
}

#[test]
fn login_after_the_session_ended() {
    let (mut app, _) = App::new("http://127.0.0.1:8000", true, None);
    app.on_outcome(Outcome::SessionChecked(Err(ApiError::Server {
        code: ErrorCode::Unauthenticated,
        message: "you need to log in first".into(),
        field: None,
        retry_after: None,
    })));
    insta::assert_snapshot!(draw(&mut app, 80, 20).backend());
}

#[test]
fn feed_with_emoji_cjk_long_bodies_and_selection() {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('j')));
    insta::assert_snapshot!(draw(&mut app, 60, 30).backend());
}

#[test]
fn feed_scrolled_to_the_end() {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('G')));
    insta::assert_snapshot!(draw(&mut app, 60, 14).backend());
}

#[test]
fn feed_empty() {
    let mut app = feed_screen(vec![]);
    insta::assert_snapshot!(draw(&mut app, 60, 8).backend());
}

#[test]
fn feed_server_unreachable() {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('r')));
    app.on_outcome(Outcome::NewestLoaded(
        Feed::Home,
        Err(ApiError::Unreachable {
            url: "http://127.0.0.1:8000".into(),
        }),
    ));
    insta::assert_snapshot!(draw(&mut app, 100, 10).backend());
}

#[test]
fn compose_with_counter() {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('n')));
    type_text(&mut app, "Squirrel 🐿️ spotted");
    app.on_key(key(KeyCode::Enter));
    type_text(&mut app, "e\u{301}");
    insta::assert_snapshot!(draw(&mut app, 70, 16).backend());
}

#[test]
fn compose_over_the_limit() {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('n')));
    app.on_paste(&"🐕".repeat(281));
    app.on_key(ctrl('s'));
    let terminal = draw(&mut app, 70, 16);
    let screen = format!("{}", terminal.backend());
    assert!(screen.contains("281/280"));
    assert!(screen.contains("a woof may hold at most 280 characters"));
    insta::assert_snapshot!(screen);
}

#[test]
fn delete_confirmation() {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('d')));
    insta::assert_snapshot!(draw(&mut app, 60, 12).backend());
}

/// At 80×24 the popup is taller than the screen: it opens at its top and
/// says there is more below.
#[test]
fn help_popup() {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('?')));
    let screen = format!("{}", draw(&mut app, 80, 24).backend());
    assert!(screen.contains("↓ more below"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn help_popup_scrolled_to_the_bottom() {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('?')));
    draw(&mut app, 80, 24);
    for _ in 0..5 {
        app.on_key(key(KeyCode::PageDown));
    }
    let screen = format!("{}", draw(&mut app, 80, 24).backend());
    assert!(screen.contains("↑ more above"), "{screen}");
    assert!(screen.contains("any other key does too"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// A wide terminal shows it all in two columns, with nothing to scroll.
#[test]
fn help_popup_in_two_columns_on_a_wide_terminal() {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('?')));
    let screen = format!("{}", draw(&mut app, 130, 24).backend());
    app.on_key(key(KeyCode::Char('j')));
    assert!(!screen.contains("more below"), "{screen}");
    for line in ["next woof", "close it; any other key does too"] {
        assert!(screen.contains(line), "{screen}");
    }
    let closed = format!("{}", draw(&mut app, 130, 24).backend());
    assert!(
        !closed.contains("Keys"),
        "with nothing to scroll, any key closes"
    );
    insta::assert_snapshot!(screen);
}

/// Paging past the end stops at the end: one line up is one line up.
#[test]
fn help_popup_does_not_scroll_past_its_end() {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('?')));
    draw(&mut app, 80, 24);
    for _ in 0..5 {
        app.on_key(key(KeyCode::PageDown));
    }
    let bottom = popup_inside(&draw(&mut app, 80, 24));
    app.on_key(key(KeyCode::Char('j')));
    let still = popup_inside(&draw(&mut app, 80, 24));
    app.on_key(key(KeyCode::Char('k')));
    let up = popup_inside(&draw(&mut app, 80, 24));
    assert_eq!(still, bottom);
    assert_eq!(up[1..], bottom[..bottom.len() - 1]);
}

/// Even a small terminal shows the whole help, a line at a time.
#[test]
fn help_popup_scrolls_on_a_small_terminal() {
    use woofer::components::feed_screen::HELP_CONTEXTS;
    use woofer::components::help::{self, HelpLine};

    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('?')));
    let seen = every_help_row(&mut app, 40, 10);
    let text = seen.join("\n");
    for line in help::lines(HELP_CONTEXTS) {
        let (HelpLine::Heading(part) | HelpLine::Keys { what: part, .. }) = line;
        // What a key does may be wrapped: each word is there.
        for word in part.split(' ') {
            assert!(text.contains(word), "{word:?} missing:\n{text}");
        }
    }
}

fn account_screen() -> App {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('a')));
    let session = |id: &str, agent: Option<&str>, seen_ago: i64, current: bool| Session {
        id: id.into(),
        created_at: Timestamp::from(NOW - time::Duration::days(3)),
        last_seen_at: Timestamp::from(NOW - time::Duration::seconds(seen_ago)),
        user_agent: agent.map(Into::into),
        current,
    };
    app.on_outcome(Outcome::SessionsLoaded(Ok(vec![
        session(
            "c3",
            Some("Mozilla/5.0 (X11; Linux x86_64) \u{1b}[31mFirefox"),
            120,
            false,
        ),
        session("b2", Some("woofer/0.1.0"), 0, true),
        session("a1", None, 3 * 86400, false),
    ])));
    app
}

#[test]
fn account_sessions() {
    let mut app = account_screen();
    app.on_key(key(KeyCode::Char('j')));
    insta::assert_snapshot!(draw(&mut app, 80, 14).backend());
}

#[test]
fn account_new_password_form() {
    let mut app = account_screen();
    app.on_key(key(KeyCode::Char('p')));
    type_text(&mut app, "correct horse");
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "short");
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "short");
    app.on_key(key(KeyCode::Enter));
    let terminal = draw(&mut app, 80, 18);
    let screen = format!("{}", terminal.backend());
    assert!(
        !screen.contains("correct horse") && !screen.contains("short\""),
        "masked"
    );
    assert!(
        screen.contains("a password must be 8 to 128 characters"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn tiny_terminal_shows_what_fits() {
    for mut app in [login_screen(), feed_screen(sample_woofs())] {
        draw(&mut app, 20, 6);
        draw(&mut app, 1, 1);
        draw(&mut app, 0, 0);
    }
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('n')));
    draw(&mut app, 5, 3);
    app.on_key(key(KeyCode::Esc));
    app.on_key(key(KeyCode::Char('?')));
    draw(&mut app, 8, 4);
    let mut app = feed_screen(sample_woofs());
    insta::assert_snapshot!(draw(&mut app, 20, 6).backend());
}

#[test]
fn hostile_text_is_rendered_inert() {
    let hostile =
        "\x1b[2J\x1b[H\x1b]0;pwned\x07\x1b[31mred\x1b[0m \u{9b}6n tab\there \u{202e}reversed\r";
    let mut app = feed_screen(vec![woof(9, "evil\x1b[5m", 10, hostile)]);
    let terminal = draw(&mut app, 60, 8);
    for cell in terminal.backend().buffer().content() {
        assert!(
            !cell
                .symbol()
                .chars()
                .any(|c| c.is_control() || woofer_shared::rules::is_bidi_control(c)),
            "{:?}",
            cell.symbol()
        );
    }
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn hostile_error_messages_are_rendered_inert() {
    let mut app = login_screen();
    type_text(&mut app, "rex");
    app.on_key(key(KeyCode::Tab));
    type_text(&mut app, "correct horse");
    app.on_key(key(KeyCode::Enter));
    // What the API client hands over is already scrubbed; the drawing must
    // not rely on it alone.
    app.on_outcome(Outcome::LoggedIn(Err(ApiError::Server {
        code: ErrorCode::InvalidCredentials,
        message: "\x1b]0;pwned\x07\x1b[2Jwrong\u{202e}".into(),
        field: None,
        retry_after: None,
    })));
    let terminal = draw(&mut app, 80, 20);
    for cell in terminal.backend().buffer().content() {
        assert!(
            !cell
                .symbol()
                .chars()
                .any(|c| c.is_control() || woofer_shared::rules::is_bidi_control(c)),
            "{:?}",
            cell.symbol()
        );
    }
}

#[test]
fn every_screen_at_every_small_size_never_panics() {
    let mut screens: Vec<App> = Vec::new();
    let (mut login, _) = App::new("http://127.0.0.1:8000", true, None);
    login.on_outcome(Outcome::SessionChecked(Err(ApiError::Server {
        code: ErrorCode::Unauthenticated,
        message: "you need to log in first".into(),
        field: None,
        retry_after: None,
    })));
    login.on_outcome(Outcome::LoggedIn(Err(ApiError::Server {
        code: ErrorCode::InvalidCredentials,
        message: "wrong username or password".into(),
        field: None,
        retry_after: None,
    })));
    screens.push(login);
    screens.push(App::new("http://127.0.0.1:8000", true, None).0);
    screens.push(feed_screen(sample_woofs()));
    screens.push(feed_screen(vec![]));
    let mut compose = feed_screen(sample_woofs());
    compose.on_key(key(KeyCode::Char('n')));
    compose.on_paste("a long draft\nwith lines 🐕🐕🐕 日本語");
    screens.push(compose);
    let mut confirm = feed_screen(sample_woofs());
    confirm.on_key(key(KeyCode::Char('d')));
    screens.push(confirm);
    let mut help = feed_screen(sample_woofs());
    help.on_key(key(KeyCode::Char('?')));
    screens.push(help);
    screens.push(account_screen());
    let mut leaving = account_screen();
    leaving.on_key(key(KeyCode::Char('D')));
    screens.push(leaving);
    for app in &mut screens {
        for width in 0..=32 {
            for height in 0..=12 {
                draw(app, width, height);
            }
        }
    }
}

fn laid_out(app: &App) -> usize {
    match app.screen() {
        Screen::Feed(feed) => feed.feed().laid_out_last_frame(),
        _ => panic!("not on the feed"),
    }
}

fn many_woofs(n: i64) -> Vec<Woof> {
    (1..=n)
        .rev()
        .map(|i| {
            woof(
                i,
                if i % 3 == 0 { "rex" } else { "fido" },
                10_000 - i % 10_000,
                &format!("woof number {i}: squirrel 🐿️ spotted near the 日本 oak, again and again"),
            )
        })
        .collect()
}

#[test]
fn a_feed_of_10000_woofs_lays_out_no_more_than_a_screenful() {
    let mut small = feed_screen(many_woofs(20));
    let mut large = feed_screen(many_woofs(10_000));
    // 40 rows hold at most 14 woofs (each at least 3 lines): a frame shows
    // that many and measures at most twice that many to scroll, whatever
    // the length of the feed.
    let bound = 3 * (40 / 3 + 1);
    draw(&mut small, 100, 40);
    let small_laid_out = laid_out(&small);
    let mut seen = Vec::new();
    draw(&mut large, 100, 40);
    seen.push(("top", laid_out(&large)));
    large.on_key(key(KeyCode::End));
    draw(&mut large, 100, 40);
    seen.push(("end", laid_out(&large)));
    for _ in 0..3 {
        large.on_key(key(KeyCode::PageUp));
    }
    draw(&mut large, 100, 40);
    seen.push(("middle", laid_out(&large)));
    assert!(
        small_laid_out > 0 && small_laid_out <= bound,
        "{small_laid_out}"
    );
    for (what, laid_out) in seen {
        assert!(
            laid_out > 0 && laid_out <= bound,
            "10,000 woofs at the {what}: {laid_out} laid out"
        );
    }
}

fn rows(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    buffer
        .content()
        .chunks(width)
        .map(|row| row.iter().map(|cell| cell.symbol()).collect())
        .collect()
}

/// The selected woof (by `author`) is one row lower in `after` than in
/// `before`: only the "▲ N new" marker's row was added above it.
fn assert_selection_moved_down_one_row(
    before: &Terminal<TestBackend>,
    after: &Terminal<TestBackend>,
    author: &str,
) {
    let selected = |t: &Terminal<TestBackend>| {
        rows(t)
            .into_iter()
            .position(|row| row.starts_with(&format!("▌ {author}")))
    };
    assert_eq!(
        selected(before).map(|r| r + 1),
        selected(after),
        "the selected woof moved only by the marker's row"
    );
}

/// The inside of the popup, each row trimmed, cut out of the screen drawn
/// around it.
fn popup_inside(terminal: &Terminal<TestBackend>) -> Vec<String> {
    let buffer = terminal.backend().buffer();
    let cells: Vec<Vec<&str>> = buffer
        .content()
        .chunks(usize::from(buffer.area.width))
        .map(|row| row.iter().map(|cell| cell.symbol()).collect())
        .collect();
    let top = cells.iter().position(|r| r.contains(&"╭")).unwrap();
    let left = cells[top].iter().position(|&c| c == "╭").unwrap();
    let right = cells[top].iter().position(|&c| c == "╮").unwrap();
    let bottom = top + cells[top..].iter().position(|r| r[left] == "╰").unwrap();
    cells[top + 1..bottom]
        .iter()
        .map(|r| r[left + 1..right].concat().trim().to_owned())
        .collect()
}

/// Every row of the open help popup at `width`×`height`, read by scrolling
/// it down a line at a time (`j`) until it moves no more.
fn every_help_row(app: &mut App, width: u16, height: u16) -> Vec<String> {
    let mut shown = popup_inside(&draw(app, width, height));
    let mut seen = shown.clone();
    loop {
        app.on_key(key(KeyCode::Char('j')));
        let next = popup_inside(&draw(app, width, height));
        if next == shown {
            return seen;
        }
        assert_eq!(next[..next.len() - 1], shown[1..], "j scrolls by one line");
        seen.push(next.last().unwrap().clone());
        shown = next;
    }
}

/// The help popup is drawn from the key table and lists exactly what the
/// table binds on any list of woofs, on the feeds, in the editor and in the
/// popup itself: every binding once, and no other line; at 80×24 it takes
/// scrolling to see them all.
#[test]
fn the_help_popup_lists_exactly_the_bound_keys() {
    use woofer::components::feed_screen::HELP_CONTEXTS;
    use woofer::components::help::{self, HelpLine};
    use woofer::keymap::{self, Context};

    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('?')));
    let first_screen = popup_inside(&draw(&mut app, 80, 24));
    let inside = every_help_row(&mut app, 80, 24);

    let expected = help::lines(HELP_CONTEXTS);
    assert!(first_screen.len() < expected.len(), "80×24 needs scrolling");
    assert_eq!(inside.len(), expected.len(), "{inside:#?}");
    let mut listed = Vec::new();
    for (row, line) in inside.iter().zip(&expected) {
        match line {
            HelpLine::Heading(title) => assert_eq!(row, title),
            HelpLine::Keys { keys, what } => {
                assert!(
                    row.starts_with(keys.as_str()) && row.ends_with(what),
                    "{row}"
                );
                listed.push(row.clone());
            }
        }
    }
    let contexts = HELP_CONTEXTS.iter().chain([&Context::Anywhere]);
    let bound: Vec<_> = contexts.flat_map(|&c| keymap::bindings(c)).collect();
    for binding in &bound {
        assert!(
            listed
                .iter()
                .any(|row| row.contains(&binding.keys_label()) && row.ends_with(binding.help)),
            "{} ({}) is not in the help",
            binding.keys_label(),
            binding.help
        );
    }
    let merged = bound.len() - listed.len();
    assert!(
        merged <= keymap::bindings(Context::Anywhere).count(),
        "only keys that work anywhere share a row"
    );
}

/// The hint bar of the feed, a profile, a thread, the account panel, the
/// editor and the login form, at `width` columns.
fn hint_bars(width: u16) -> String {
    let mut states: Vec<(&str, App)> = vec![
        ("feed", feed_screen(sample_woofs())),
        ("login", login_screen()),
        ("account", account_screen()),
    ];
    let mut profile = home_with_likes_and_a_reply();
    profile_of_fido(&mut profile);
    states.push(("profile", profile));
    let mut thread = home_with_likes_and_a_reply();
    thread_of_the_squirrel(&mut thread);
    states.push(("thread", thread));
    for (name, c) in [("compose", 'n'), ("help", '?')] {
        let mut app = feed_screen(sample_woofs());
        app.on_key(key(KeyCode::Char(c)));
        states.push((name, app));
    }
    let mut failed = feed_screen(sample_woofs());
    failed.on_outcome(Outcome::NewestLoaded(
        Feed::Home,
        Err(ApiError::Unreachable {
            url: "http://127.0.0.1:8000".into(),
        }),
    ));
    states.push(("unreachable", failed));
    states
        .iter_mut()
        .map(|(name, app)| {
            let bar = rows(&draw(app, width, 24)).pop().unwrap();
            format!("{name:>11} {bar}|")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each hint on a bar is whole: a key and all of its words.
fn assert_whole_hints(bars: &str, width: u16) {
    use woofer::keymap::{self, Context};

    let every_hint: Vec<String> = [
        Context::Feed,
        Context::Profile,
        Context::Thread,
        Context::Account,
        Context::Compose,
        Context::Help,
        Context::Login,
    ]
    .into_iter()
    .flat_map(keymap::hint_list)
    .map(|h| h.text)
    .chain(["Enter log in".into()])
    .collect();
    for bar in bars.lines() {
        let Some((_, hints)) = bar.split_once("│ ") else {
            continue;
        };
        let hints = hints.trim_end_matches('|').trim_end();
        for item in hints.split(" · ") {
            assert!(
                every_hint.contains(&item.to_owned()),
                "{item:?} is not a whole hint at {width} columns:\n{bars}"
            );
        }
        if bar.contains("? help") {
            assert!(hints.ends_with("? help"), "{bar}");
        }
    }
}

#[test]
fn hint_bars_at_80_columns() {
    let bars = hint_bars(80);
    assert_whole_hints(&bars, 80);
    for screen in ["feed", "profile", "thread", "unreachable"] {
        let bar = bars.lines().find(|b| b.trim_start().starts_with(screen));
        assert!(bar.unwrap().contains("? help"), "{screen}:\n{bars}");
    }
    insta::assert_snapshot!(bars);
}

#[test]
fn hint_bars_at_60_columns() {
    let bars = hint_bars(60);
    assert_whole_hints(&bars, 60);
    for screen in ["feed", "profile", "thread"] {
        let bar = bars.lines().find(|b| b.trim_start().starts_with(screen));
        assert!(bar.unwrap().contains("? help"), "{screen}:\n{bars}");
    }
    // What just happened comes before the hints (and is gone with the next
    // answer): the server's address makes way for it.
    assert!(
        bars.contains("@rex cannot reach http://127.0.0.1:8000 — press r to retry"),
        "{bars}"
    );
    insta::assert_snapshot!(bars);
}

/// On every screen and popup, the hint bar names keys from the table that
/// do, there, what the hint says; and every hinted binding of that
/// context is there.
#[test]
fn the_hint_bar_lists_exactly_the_hinted_keys_of_the_screen() {
    use woofer::keymap;

    let mut states: Vec<(&str, App)> = vec![
        ("resuming", App::new("http://127.0.0.1:8000", true, None).0),
        ("login", login_screen()),
        ("feed", feed_screen(sample_woofs())),
    ];
    let mut create = login_screen();
    create.on_key(ctrl('n'));
    states.push(("create account", create));
    states.push(("account", account_screen()));
    let mut form = account_screen();
    form.on_key(key(KeyCode::Char('p')));
    states.push(("account form", form));
    for (name, c) in [("compose", 'n'), ("confirm", 'd'), ("help", '?')] {
        let mut app = feed_screen(sample_woofs());
        app.on_key(key(KeyCode::Char(c)));
        states.push((name, app));
    }
    for (name, mut app) in states {
        let bar = rows(&draw(&mut app, 240, 30)).pop().unwrap();
        let context = app.key_context();
        let shown: Vec<&str> = bar.split('│').nth(1).unwrap().trim().split(" · ").collect();
        let hinted: Vec<_> = keymap::live_bindings(context)
            .filter(|b| b.hint.is_some())
            .collect();
        assert_eq!(shown.len(), hinted.len(), "{name}: {bar}");
        for binding in hinted {
            let key = binding.keys[0];
            let item = shown
                .iter()
                .find(|item| item.starts_with(&format!("{} ", key.label())));
            assert!(item.is_some(), "{name}: {} is not on {bar}", key.label());
            let modifiers = if key.ctrl {
                KeyModifiers::CONTROL
            } else {
                KeyModifiers::NONE
            };
            assert_eq!(
                keymap::action(context, &KeyEvent::new(key.code, modifiers)),
                Some(binding.action),
                "{name}: {item:?}"
            );
        }
    }
}

fn rex() -> User {
    User {
        id: UserId(1),
        username: "rex".into(),
        created_at: Timestamp::from(datetime!(2026-11-01 00:00:00 UTC)),
    }
}

/// Home, where fido's woof is liked by rex, and rex's reply answers it.
fn home_with_likes_and_a_reply() -> App {
    let mut squirrel = woof(7, "fido", 5 * 60, "Squirrel in the big oak! Who's coming?");
    squirrel.like_count = 3;
    squirrel.liked_by_me = true;
    squirrel.reply_count = 1;
    let mut reply = woof(8, "rex", 60, "On my way 🐕");
    reply.reply_to = Some(WoofId(7));
    reply.like_count = 1;
    feed_screen(vec![
        reply,
        squirrel,
        woof(5, "luna", 2 * 3600, "Nap, stretch, nap again."),
    ])
}

#[test]
fn home_with_likes_and_a_reply_marked() {
    let mut app = home_with_likes_and_a_reply();
    app.on_key(key(KeyCode::Char('j')));
    let screen = format!("{}", draw(&mut app, 70, 14).backend());
    assert!(screen.contains("↳ @fido"), "{screen}");
    assert!(screen.contains("♥ 3"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn everyone_keeps_its_own_place() {
    let mut app = home_with_likes_and_a_reply();
    app.on_key(key(KeyCode::Char('G')));
    app.on_key(key(KeyCode::Tab));
    app.on_outcome(Outcome::NewestLoaded(
        Feed::Everyone,
        Ok(FeedPage {
            woofs: vec![
                woof(9, "bruno", 10, "The postman is back."),
                woof(6, "pepper", 3 * 60, "Found a stick. Best stick."),
            ],
            next_before: None,
        }),
    ));
    insta::assert_snapshot!("everyone_tab", draw(&mut app, 70, 10).backend());
    app.on_key(key(KeyCode::Tab));
    let home = format!("{}", draw(&mut app, 70, 12).backend());
    assert!(
        home.contains("▌ @luna"),
        "Home is still at its end:\n{home}"
    );
}

fn profile_of_fido(app: &mut App) {
    app.on_key(key(KeyCode::Char('u')));
    app.on_outcome(Outcome::ProfileLoaded(
        Username::parse("fido").unwrap(),
        Ok(Profile {
            user: User {
                id: UserId(2),
                username: "fido".into(),
                created_at: Timestamp::from(datetime!(2026-10-03 00:00:00 UTC)),
            },
            woof_count: 2,
            follower_count: 1,
            following_count: 4,
            followed_by_me: true,
        }),
    ));
    app.on_outcome(Outcome::NewestLoaded(
        Feed::Dog(Username::parse("fido").unwrap()),
        Ok(FeedPage {
            woofs: vec![
                woof(7, "fido", 5 * 60, "Squirrel in the big oak! Who's coming?"),
                woof(3, "fido", 3 * 86400, "First woof!"),
            ],
            next_before: None,
        }),
    ));
}

#[test]
fn a_dogs_profile() {
    let mut app = home_with_likes_and_a_reply();
    app.on_key(key(KeyCode::Char('j')));
    profile_of_fido(&mut app);
    let screen = format!("{}", draw(&mut app, 70, 12).backend());
    assert!(
        screen.contains("2 woofs · 1 follower · 4 following"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn your_own_profile_is_one_key_away() {
    let mut app = home_with_likes_and_a_reply();
    app.on_key(key(KeyCode::Char('p')));
    let screen = format!("{}", draw(&mut app, 70, 6).backend());
    assert!(
        screen.contains("@rex") && screen.contains("loading"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

fn thread_of_the_squirrel(app: &mut App) {
    app.on_key(key(KeyCode::Char('j')));
    app.on_key(key(KeyCode::Enter));
    let reply = |id, author, ago, body| {
        let mut w = woof(id, author, ago, body);
        w.reply_to = Some(WoofId(7));
        w
    };
    let page = ReplyPage {
        woofs: vec![
            reply(8, "rex", 60, "On my way 🐕"),
            reply(10, "luna", 30, "Save some for me"),
        ],
        next_after: None,
    };
    app.on_outcome(Outcome::RepliesLoaded(WoofId(7), None, Ok(page)));
}

#[test]
fn a_thread_with_its_replies() {
    let mut app = home_with_likes_and_a_reply();
    thread_of_the_squirrel(&mut app);
    app.on_key(key(KeyCode::Char('j')));
    insta::assert_snapshot!(draw(&mut app, 70, 14).backend());
}

#[test]
fn a_thread_answering_a_deleted_woof() {
    let mut app = home_with_likes_and_a_reply();
    app.on_key(key(KeyCode::Enter));
    app.on_outcome(Outcome::WoofLoaded(
        WoofId(7),
        Err(ApiError::Server {
            code: ErrorCode::NotFound,
            message: "there is no woof with that id".into(),
            field: None,
            retry_after: None,
        }),
    ));
    app.on_outcome(Outcome::RepliesLoaded(
        WoofId(8),
        None,
        Ok(ReplyPage {
            woofs: vec![],
            next_after: None,
        }),
    ));
    let screen = format!("{}", draw(&mut app, 70, 6).backend());
    assert!(screen.contains("answers a woof that is gone"), "{screen}");
    assert!(screen.contains("↳ a deleted woof"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn replying_says_to_whom() {
    let mut app = home_with_likes_and_a_reply();
    app.on_key(key(KeyCode::Char('j')));
    app.on_key(key(KeyCode::Char('R')));
    type_text(&mut app, "Me too!");
    insta::assert_snapshot!(draw(&mut app, 70, 14).backend());
}

#[test]
fn a_refused_like_rolls_back_and_says_why() {
    let mut app = home_with_likes_and_a_reply();
    app.on_key(key(KeyCode::Char('f')));
    let liked = format!("{}", draw(&mut app, 70, 4).backend());
    app.on_outcome(Outcome::Liked(
        WoofId(8),
        true,
        Err(ApiError::Server {
            code: ErrorCode::NotFound,
            message: "there is no woof with that id".into(),
            field: None,
            retry_after: None,
        }),
    ));
    let refused = format!("{}", draw(&mut app, 70, 4).backend());
    assert!(liked.contains("♥ 2"), "at once:\n{liked}");
    assert!(refused.contains("♡ 1"), "rolled back:\n{refused}");
    insta::assert_snapshot!(refused);
}

#[test]
fn hostile_text_is_inert_in_profiles_threads_and_replies() {
    let hostile = "\x1b[2J\x1b]0;pwned\x07\u{202e}evil";
    let mut bad = woof(7, "evil\x1b[5m", 10, hostile);
    bad.reply_to = Some(WoofId(3));
    let mut app = feed_screen(vec![bad.clone()]);
    // The author of the woof answered, learnt from the server, is hostile too.
    let mut answered = woof(3, "\x1b[31mred", 20, hostile);
    answered.id = WoofId(3);
    app.on_outcome(Outcome::WoofLoaded(WoofId(3), Ok(answered)));
    let mut screens = vec![draw(&mut app, 60, 8)];
    app.on_key(key(KeyCode::Enter));
    app.on_outcome(Outcome::RepliesLoaded(
        WoofId(7),
        None,
        Ok(ReplyPage {
            woofs: vec![woof(9, "x\u{9b}y", 5, hostile)],
            next_after: None,
        }),
    ));
    screens.push(draw(&mut app, 60, 12));
    app.on_key(key(KeyCode::Char('R')));
    screens.push(draw(&mut app, 60, 12));
    for terminal in &screens {
        for cell in terminal.backend().buffer().content() {
            assert!(
                !cell
                    .symbol()
                    .chars()
                    .any(|c| c.is_control() || woofer_shared::rules::is_bidi_control(c)),
                "{:?}",
                cell.symbol()
            );
        }
    }
}

fn live(app: &mut App, update: LiveUpdate) {
    app.on_outcome(Outcome::Live(update));
}

#[test]
fn live_woof_arrives_on_top_while_reading() {
    let mut app = feed_screen(sample_woofs());
    live(&mut app, LiveUpdate::Connected { fresh: false });
    app.on_key(key(KeyCode::Char('j')));
    draw(&mut app, 60, 16);

    live(
        &mut app,
        LiveUpdate::Event(LiveEvent::Woof(woof(7, "fido", 1, "Postman at the door!"))),
    );

    insta::assert_snapshot!(draw(&mut app, 60, 16).backend());
}

#[test]
fn live_woofs_above_a_scrolled_feed_are_counted_in_a_marker() {
    let mut app = feed_screen(sample_woofs());
    live(&mut app, LiveUpdate::Connected { fresh: false });
    for _ in 0..3 {
        app.on_key(key(KeyCode::Char('j')));
    }
    let before = draw(&mut app, 60, 14);
    for (id, body) in [(7, "Postman!"), (8, "Still the postman!")] {
        live(
            &mut app,
            LiveUpdate::Event(LiveEvent::Woof(woof(id, "fido", 1, body))),
        );
    }

    let after = draw(&mut app, 60, 14);

    insta::assert_snapshot!(after.backend());
    assert_selection_moved_down_one_row(&before, &after, "@bruno");
    app.on_key(key(KeyCode::Char('g')));
    let top = draw(&mut app, 60, 14);
    assert!(
        !rows(&top).iter().any(|row| row.contains("new woof")),
        "g: the top, and the marker is gone"
    );
}

#[test]
fn live_deletion_takes_the_woof_off_the_screen() {
    let mut app = feed_screen(sample_woofs());
    live(&mut app, LiveUpdate::Connected { fresh: false });

    live(&mut app, LiveUpdate::Event(LiveEvent::Deleted(WoofId(5))));

    insta::assert_snapshot!(draw(&mut app, 60, 16).backend());
}

#[test]
fn live_status_live_reconnecting_offline_polling() {
    let mut app = feed_screen(sample_woofs());
    let mut bars = Vec::new();
    for update in [
        LiveUpdate::Connected { fresh: false },
        LiveUpdate::Reconnecting,
        LiveUpdate::Offline,
        LiveUpdate::Polling,
    ] {
        live(&mut app, update);
        bars.push(rows(&draw(&mut app, 100, 6)).pop().unwrap());
    }
    insta::assert_snapshot!(bars.join("\n"));
}

fn effects_of(effects: Vec<woofer::effect::Effect>) -> Vec<Request> {
    effects
        .into_iter()
        .filter_map(|effect| match effect {
            woofer::effect::Effect::Request(request) => Some(request),
            _ => None,
        })
        .collect()
}

fn feed_page(ids: std::ops::RangeInclusive<i64>, next_before: Option<i64>) -> FeedPage {
    FeedPage {
        woofs: ids
            .rev()
            .map(|id| woof(id, "fido", 1, &format!("new woof {id}")))
            .collect(),
        next_before: next_before.map(WoofId),
    }
}

#[test]
fn a_refresh_bringing_150_new_woofs_keeps_the_dog_where_it_was_reading() {
    let mut app = feed_screen(sample_woofs());
    for _ in 0..3 {
        app.on_key(key(KeyCode::Char('j')));
    }
    let before = draw(&mut app, 60, 14);

    assert_eq!(
        effects_of(app.on_key(key(KeyCode::Char('r')))),
        vec![Request::LoadNewest(Feed::Home)]
    );
    // The server's newest page (20), then the gap in pages of 100.
    let gap = app.on_outcome(Outcome::NewestLoaded(
        Feed::Home,
        Ok(feed_page(137..=156, Some(137))),
    ));
    assert_eq!(
        effects_of(gap),
        vec![Request::LoadGap(Feed::Home, WoofId(137))]
    );
    let gap = app.on_outcome(Outcome::GapLoaded(
        Feed::Home,
        WoofId(137),
        Ok(feed_page(37..=136, Some(37))),
    ));
    assert_eq!(
        effects_of(gap),
        vec![Request::LoadGap(Feed::Home, WoofId(37))]
    );
    let mut last = feed_page(7..=36, None);
    last.woofs.extend(sample_woofs());
    let done = app.on_outcome(Outcome::GapLoaded(Feed::Home, WoofId(37), Ok(last)));
    assert_eq!(effects_of(done), vec![]);

    let after = draw(&mut app, 60, 14);

    insta::assert_snapshot!(after.backend());
    let Screen::Feed(screen) = app.screen() else {
        panic!("not on the feed");
    };
    let home = screen.feed();
    let ids: Vec<i64> = home.woofs().iter().map(|w| w.id.0).collect();
    assert_eq!(
        ids,
        (2..=156).rev().collect::<Vec<_>>(),
        "none lost, none twice"
    );
    assert_eq!(home.selected_woof().unwrap().id, WoofId(3));
    assert!(
        rows(&after)
            .iter()
            .any(|row| row.contains("▲ 150 new woofs above")),
        "{:#?}",
        rows(&after)
    );
    assert_selection_moved_down_one_row(&before, &after, "@bruno");
}

#[test]
fn a_live_woof_of_a_followed_dog_not_on_home_yet_appears_on_home() {
    let mut app = feed_screen_following(sample_woofs(), &["fido", "luna", "bruno", "daisy"]);
    live(&mut app, LiveUpdate::Connected { fresh: false });

    live(
        &mut app,
        LiveUpdate::Event(LiveEvent::Woof(woof(
            7,
            "daisy",
            1,
            "First woof on your Home!",
        ))),
    );
    live(
        &mut app,
        LiveUpdate::Event(LiveEvent::Woof(woof(
            8,
            "max",
            1,
            "Nobody here follows me.",
        ))),
    );

    let screen = draw(&mut app, 60, 12);
    insta::assert_snapshot!(screen.backend());
    assert!(rows(&screen)[1].contains("@daisy"), "{:#?}", rows(&screen));
    assert!(!rows(&screen).iter().any(|row| row.contains("@max")));
}

#[test]
fn a_gap_left_at_the_bound_is_marked_and_loads_when_reached() {
    let mut app = feed_screen(sample_woofs());
    app.on_key(key(KeyCode::Char('r')));
    // 1,494 new woofs: the newest page and nine gap pages bring 920.
    let mut effects = app.on_outcome(Outcome::NewestLoaded(
        Feed::Home,
        Ok(feed_page(1481..=1500, Some(1481))),
    ));
    let mut pages = 1;
    while let [Request::LoadGap(Feed::Home, before)] = effects_of(effects).as_slice() {
        let low = before.0 - 100;
        effects = app.on_outcome(Outcome::GapLoaded(
            Feed::Home,
            *before,
            Ok(feed_page(low..=before.0 - 1, Some(low))),
        ));
        pages += 1;
    }
    assert_eq!(pages, 10, "bounded");

    let bounded = draw(&mut app, 60, 12);
    insta::assert_snapshot!(bounded.backend());
    assert!(rows(&bounded)[1].contains("▲ 920 new woofs above"));
    assert!(rows(&bounded)[2].contains("more woofs in between"));
    assert!(rows(&bounded)[3].starts_with("▌ @rex"), "still on its woof");

    // Up past the gap: its next page is asked for, and said to be coming.
    let asked = effects_of(app.on_key(key(KeyCode::Char('k'))));
    assert_eq!(asked, vec![Request::LoadGap(Feed::Home, WoofId(581))]);
    let loading = rows(&draw(&mut app, 60, 12));
    assert!(
        loading
            .iter()
            .any(|r| r.contains("loading the woofs in between")),
        "{loading:#?}"
    );
    app.on_outcome(Outcome::GapLoaded(
        Feed::Home,
        WoofId(581),
        Ok({
            let mut page = feed_page(7..=580, None);
            page.woofs.extend(sample_woofs());
            page
        }),
    ));
    let Screen::Feed(screen) = app.screen() else {
        panic!("not on the feed");
    };
    let ids: Vec<i64> = screen.feed().woofs().iter().map(|w| w.id.0).collect();
    assert_eq!(
        ids,
        (2..=1500).rev().collect::<Vec<_>>(),
        "none lost, none twice"
    );
    assert_eq!(screen.feed().selected_woof().unwrap().id, WoofId(581));
    let whole = rows(&draw(&mut app, 60, 12));
    assert!(
        !whole.iter().any(|r| r.contains("in between")),
        "{whole:#?}"
    );
}
