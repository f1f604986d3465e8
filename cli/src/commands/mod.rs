//! One module per subcommand.

pub mod check;
pub mod exec;
pub mod import;
pub mod render;
