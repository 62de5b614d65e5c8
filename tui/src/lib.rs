//! `woofer`, the terminal client: the API client and cookie jar, the app's
//! state and update logic, and its screens. The binary wires the terminal
//! and the event loop.

pub mod api;
pub mod app;
pub mod components;
pub mod jar;
pub mod relative_time;
pub mod text;
pub mod ui;
