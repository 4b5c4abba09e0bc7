//! Tests of the views over a small hand-written program: models are folded from `LedgerEvent`s
//! written with [`builder::Log`], the same way the projector folds the log; no database.

mod builder;
mod console;
mod handover;
mod program;
mod reconciliation;
mod scoping;
mod timeline;
