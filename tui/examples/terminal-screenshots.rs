//! Retakes the README's picture of the terminal app,
//! `docs/screenshots/terminal.svg`: the real `woofer` binary in a
//! pseudo-terminal against the real server (a fresh SQLite database,
//! seeded with a few dogs who follow, like and answer each other), its
//! screen read back through a vt100 parser and drawn as SVG — Home with
//! likes and a reply beside a dog's profile.
//!
//! `scripts/terminal-screenshots.sh`, or `cargo build -p woofer && cargo run
//! -p woofer --example terminal-screenshots -- docs/screenshots`. The
//! binary is looked for beside the example's own directory (where cargo
//! puts both); `WOOFER_BIN` names another.

#[path = "../tests/support/mod.rs"]
mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use support::TerminalSession;
use woofer_tests::{ApiClient, ServerOptions, TestServer};

const ROWS: u16 = 24;
const COLS: u16 = 84;

fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/screenshots".into()),
    );
    std::fs::create_dir_all(&out).expect("the output directory");
    let binary = woofer_binary();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let screens = runtime.block_on(async move {
        let server = TestServer::start(ServerOptions::default()).await;
        seed(server.base_url()).await;
        let base = server.base_url().to_owned();
        let screens = tokio::task::spawn_blocking(move || shoot(&binary, &base))
            .await
            .expect("the screenshots");
        drop(server);
        screens
    });
    let svg = svg(&[("Home", &screens.0), ("A dog's profile", &screens.1)]);
    let path = out.join("terminal.svg");
    std::fs::write(&path, svg).expect("writing the picture");
    println!("wrote {}", path.display());
}

fn woofer_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("WOOFER_BIN") {
        return path.into();
    }
    let example = std::env::current_exe().expect("the example's path");
    let profile_dir = example
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/examples");
    let binary = profile_dir.join(format!("woofer{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build -p woofer` first (or set WOOFER_BIN)",
        binary.display()
    );
    binary
}

/// Four dogs; rex follows the other three, who like and answer each other.
async fn seed(base: &str) {
    let dog = |name: &'static str| ApiClient::registered(base, name);
    let (rex, biscuit, pepper, luna) = (
        dog("rex").await,
        dog("biscuit").await,
        dog("pepper").await,
        dog("luna").await,
    );
    for name in ["biscuit", "pepper", "luna"] {
        let r = rex.put(&format!("/api/users/{name}/follow")).await;
        assert!(r.status.is_success(), "{}", r.text);
    }
    luna.woof_id("Zoomies at 3 a.m. Nobody asked, nobody needed to.")
        .await;
    let mail = pepper
        .woof_id("Reminder: the mail carrier is NOT a threat.\nThe mail carrier is the threat.")
        .await;
    let hole = biscuit
        .woof_id(
            "Dug a hole in the garden. Found a better hole underneath it. Today is a good day.",
        )
        .await;
    rex.woof_id("Squirrel!!").await;
    pepper
        .reply_id(hole, "Is there room in the hole for two? 🐕")
        .await;
    let treats = biscuit
        .woof_id("Who else can hear the treat bag being opened from three rooms away?")
        .await;
    rex.reply_id(treats, "Me. From the garden. Through a wall.")
        .await;
    for (who, what) in [
        (&rex, hole),
        (&pepper, hole),
        (&luna, hole),
        (&luna, mail),
        (&rex, treats),
        (&pepper, treats),
    ] {
        let r = who.put(&format!("/api/woofs/{what}/like")).await;
        assert!(r.status.is_success(), "{}", r.text);
    }
}

/// Rex's Home, then biscuit's profile, as the app draws them.
fn shoot(binary: &Path, base: &str) -> (vt100::Screen, vt100::Screen) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let jar = dir.path().join("cookies.json");
    let binary = binary.to_str().expect("a UTF-8 path");
    let jar = jar.to_str().expect("a UTF-8 path");
    let mut term = TerminalSession::start(
        binary,
        &["--server", base, "--cookie-jar", jar],
        dir.path(),
        ROWS,
        COLS,
    );
    term.log_in("rex", "correct horse");
    term.wait_for("Through a wall");
    term.wait_for("↳ @biscuit");
    term.send(b"j");
    let home = settled(&term);
    term.send(b"u");
    term.wait_for(" following");
    term.wait_for("Dug a hole");
    let profile = settled(&term);
    term.send(b"\x03");
    term.wait_exit();
    (home, profile)
}

/// The screen once the spinner has stopped.
fn settled(term: &TerminalSession) -> vt100::Screen {
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(100));
        let screen = term.snapshot();
        let bar = screen.contents().lines().last().unwrap_or("").to_owned();
        if !bar.chars().any(|c| ('⠀'..='⣿').contains(&c)) {
            return screen;
        }
    }
    term.snapshot()
}

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 18.0;
const PAD: f32 = 14.0;
const TITLE_H: f32 = 28.0;
const GAP: f32 = 24.0;
const BACKGROUND: &str = "#1e1f29";
const FOREGROUND: &str = "#d8d8d8";

/// Terminal windows side by side, each cell where the terminal put it.
fn svg(screens: &[(&str, &vt100::Screen)]) -> String {
    let window_w = f32::from(COLS) * CELL_W + 2.0 * PAD;
    let window_h = f32::from(ROWS) * CELL_H + 2.0 * PAD + TITLE_H;
    let width = window_w * screens.len() as f32 + GAP * (screens.len() as f32 - 1.0);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{window_h}" viewBox="0 0 {width} {window_h}" font-family="'DejaVu Sans Mono', 'Menlo', 'Consolas', ui-monospace, monospace" font-size="14">"#
    );
    out.push('\n');
    for (i, (title, screen)) in screens.iter().enumerate() {
        let x0 = i as f32 * (window_w + GAP);
        let _ = writeln!(
            out,
            r#"<rect x="{x0}" y="0" width="{window_w}" height="{window_h}" rx="8" fill="{BACKGROUND}"/>"#
        );
        for (j, colour) in ["#ff5f56", "#ffbd2e", "#27c93f"].iter().enumerate() {
            let cx = x0 + 18.0 + j as f32 * 18.0;
            let _ = writeln!(out, r#"<circle cx="{cx}" cy="14" r="5" fill="{colour}"/>"#);
        }
        let _ = writeln!(
            out,
            r##"<text x="{}" y="19" fill="#8a8a8a" text-anchor="middle">woofer — {}</text>"##,
            x0 + window_w / 2.0,
            escape(title)
        );
        draw_screen(&mut out, screen, x0 + PAD, TITLE_H + PAD);
    }
    out.push_str("</svg>\n");
    out
}

fn draw_screen(out: &mut String, screen: &vt100::Screen, left: f32, top: f32) {
    for row in 0..ROWS {
        let y = top + f32::from(row) * CELL_H;
        for col in 0..COLS {
            let Some(cell) = screen.cell(row, col) else {
                continue;
            };
            let x = left + f32::from(col) * CELL_W;
            let (fg, bg) = if cell.inverse() {
                (cell.bgcolor(), cell.fgcolor())
            } else {
                (cell.fgcolor(), cell.bgcolor())
            };
            let cells = if cell.is_wide() { 2.0 } else { 1.0 };
            if let Some(bg) = colour(bg) {
                let _ = writeln!(
                    out,
                    r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{CELL_H}" fill="{bg}"/>"#,
                    CELL_W * cells + 0.5
                );
            }
            let text = cell.contents();
            if cell.is_wide_continuation() || text.trim().is_empty() {
                continue;
            }
            let fill = colour(fg).unwrap_or_else(|| FOREGROUND.to_owned());
            let weight = if cell.bold() {
                r#" font-weight="bold""#
            } else {
                ""
            };
            let _ = writeln!(
                out,
                r#"<text x="{x:.1}" y="{:.1}" fill="{fill}"{weight}>{}</text>"#,
                y + CELL_H * 0.75,
                escape(text)
            );
        }
    }
}

/// An SVG colour for a terminal one; `None` for the default (background).
fn colour(c: vt100::Color) -> Option<String> {
    const ANSI: [&str; 16] = [
        "#1e1f29", "#ff5c57", "#5af78e", "#f3f99d", "#57c7ff", "#ff6ac1", "#9aedfe", "#c7c7c7",
        "#686868", "#ff5c57", "#5af78e", "#f3f99d", "#57c7ff", "#ff6ac1", "#9aedfe", "#ffffff",
    ];
    match c {
        vt100::Color::Default => None,
        vt100::Color::Idx(i) if i < 16 => Some(ANSI[usize::from(i)].to_owned()),
        vt100::Color::Idx(i) if i >= 232 => {
            let level = 8 + 10 * (u32::from(i) - 232);
            Some(format!("#{level:02x}{level:02x}{level:02x}"))
        }
        vt100::Color::Idx(i) => {
            let i = u32::from(i) - 16;
            let level = |v: u32| if v == 0 { 0 } else { 55 + 40 * v };
            Some(format!(
                "#{:02x}{:02x}{:02x}",
                level(i / 36),
                level(i / 6 % 6),
                level(i % 6)
            ))
        }
        vt100::Color::Rgb(r, g, b) => Some(format!("#{r:02x}{g:02x}{b:02x}")),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
