//! The one integration-test binary: runs the real `lede` in temp dirs.

mod errors;
mod extract;
mod gold;
mod incremental;
mod index;
mod json;
mod query;
mod robustness;
mod util;
