//! The `channel-ledger` service: the HTTP API over the ledger, authentication, and the CLI's
//! building blocks.
//!
//! Data flows one way (design.md §4): request → auth → command → aggregate decides → events
//! appended. Handlers stay thin: extract, build the command and its metadata, execute, map.
#![forbid(unsafe_code)]

pub mod app;
pub mod auth;
pub mod cli;
pub mod commands;
pub mod config;
pub mod directory;
pub mod extract;
pub mod facts;
pub mod header_limit;
pub mod history;
pub mod idempotency;
pub mod metrics;
pub mod openapi;
pub mod own_events;
pub mod problem;
pub mod routes;
pub mod snapshot_cache;
pub mod stamped_cache;
pub mod state;
pub mod telemetry;
pub mod web;

pub use app::Application;
pub use config::{Config, LogFormat};
pub use state::{AppState, Clock};
