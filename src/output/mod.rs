//! Printers: the only code that writes to stdout.
