//! Test support: start the real Woofer server on an ephemeral port with a
//! fresh database, and talk to it as a client would.

pub mod client;
pub mod server;

pub use client::{ApiClient, ApiResponse};
pub use server::{Backend, ServerOptions, TestServer};
