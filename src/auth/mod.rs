//! Checking credentials against a registry, without doing any I/O: a
//! `WWW-Authenticate` parser and the handshake state machine.

mod challenge;
mod handshake;
mod message;
mod reply;

pub use challenge::{parse_challenges, Challenge, ChallengeError};
pub use handshake::{Action, Handshake, Outcome, Status, VerifyPolicy};
pub use message::{Method, Request, Response, TransportErrorKind};
