//! Test support: start the real Woofer server on an ephemeral port with a
//! fresh database, talk to it as a client would, and run the end-to-end
//! suite as libtest-mimic trials ([`trials`]).

pub mod browser;
pub mod client;
pub mod process;
pub mod server;
pub mod sse;
pub mod trials;
pub mod web;

pub use client::{install_crypto, status_with_cookie, ApiClient, ApiResponse};
pub use process::ServerProcess;
pub use server::{Backend, ServerOptions, TestServer};
pub use sse::{EventStream, Sse, SseEvent};
pub use web::WebClient;
