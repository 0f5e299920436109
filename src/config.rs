//! Settings resolved from the command line, validated once.
