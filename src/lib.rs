//! lede: a command-line search engine for news dumps.
//!
//! `lede index` runs every file of a corpus through a pipeline of stages, each
//! a module with a pure core:
//!
//! [`corpus`] (walk) → [`read`] (file → records) → [`decode`] (bytes → text) →
//! [`clean`] (page → article text, title, date, tags) → [`extract`] (entities
//! and figures) → [`passage`] (article → passages) → [`index`] (tantivy).
//! [`pipeline`] chains the per-record stages so that `index` and `extract`
//! share them. `lede query` goes [`index`] → [`search`] → [`output`].
//!
//! The plain data passed between stages lives in [`model`]. Only [`index`] and
//! [`search`] name tantivy types, only [`cli`] and [`config`] name clap types,
//! only [`output`] writes to stdout, and only [`commands`] writes to stderr.

pub mod clean;
pub mod cli;
pub mod commands;
pub mod config;
pub mod corpus;
pub mod decode;
pub mod exit;
pub mod extract;
pub mod hash;
pub mod index;
pub mod model;
pub mod output;
pub mod passage;
pub mod pipeline;
pub mod read;
pub mod search;
#[cfg(test)]
mod testing;

pub use exit::ExitStatus;
