//! The query side: parse a query, rank passages, mark the matched words.
