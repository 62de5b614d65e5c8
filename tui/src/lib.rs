//! `woofer`, the terminal client. `app` is the state and how events move
//! it; `components` are the screens and popups, each owning its state,
//! keys and drawing; `keymap` is every key binding; `effect` is the work
//! the app asks for; `event_loop` runs it all against a terminal; `api`
//! and `jar` talk to the server and keep the login; `cli` is `woofer
//! <command>`, the same for scripts.

pub mod api;
pub mod app;
pub mod cli;
pub mod components;
pub mod effect;
pub mod event_loop;
pub mod jar;
pub mod keymap;
pub mod live_link;
pub mod relative_time;
pub mod text;
pub mod ui;
