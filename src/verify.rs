//! The verify policy, shared by every driver that checks credentials before
//! handing a config over (the CLI's `--verify`, the Dagger module's
//! `verified`): a registry that cannot be reached stops everything; one that
//! refuses its credentials stops it too, or is left out.

use std::fmt;
use std::str::FromStr;

#[cfg(doc)]
use crate::auth::Status;
use crate::auth::{Outcome, VerifyPolicy};

/// What to do with a registry that refuses its credentials.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnRejected {
    /// Stop with an error naming it.
    #[default]
    Fail,
    /// Leave its entry out, so tools go to it anonymously.
    Drop,
}

impl FromStr for OnRejected {
    type Err = UnknownOnRejected;

    /// `fail` or `drop`.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "fail" => Ok(OnRejected::Fail),
            "drop" => Ok(OnRejected::Drop),
            other => Err(UnknownOnRejected(other.to_owned())),
        }
    }
}

/// Neither `fail` nor `drop`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("must be \"fail\" or \"drop\", not {0:?}")]
pub struct UnknownOnRejected(pub String);

/// Why a verified config cannot be handed over.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// No verdict for a registry: unreachable, TLS, timeout.
    #[error("cannot verify the credentials for {entry}: {detail}")]
    NoVerdict {
        /// The entry's canonical address.
        entry: String,
        /// The check's detail.
        detail: String,
    },
    /// A registry refused its credentials, and `OnRejected::Fail`.
    #[error("{entry} rejected the credentials: {detail}")]
    Rejected {
        /// The entry's canonical address.
        entry: String,
        /// The registry's message.
        detail: String,
    },
}

/// A warning about an entry a verified config leaves out or keeps
/// unchecked; displays as the warning to give.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyNote {
    /// Refused, and left out under `OnRejected::Drop`.
    Refused {
        /// The entry's canonical address: what to remove.
        entry: String,
        /// The registry's message.
        detail: String,
    },
    /// Kept, though its credentials were never checked (the registry asked
    /// for none, or a redirect took them elsewhere).
    Unverified {
        /// The entry's canonical address.
        entry: String,
        /// Why.
        detail: String,
    },
}

impl VerifyNote {
    /// The entry to leave out, if this is a removal.
    pub fn removed(&self) -> Option<&str> {
        match self {
            VerifyNote::Refused { entry, .. } => Some(entry),
            VerifyNote::Unverified { .. } => None,
        }
    }
}

impl fmt::Display for VerifyNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyNote::Refused { entry, detail } => write!(
                f,
                "left {entry} out: it rejected the credentials ({detail}); tools will try it anonymously"
            ),
            VerifyNote::Unverified { entry, detail } => write!(
                f,
                "kept {entry} unverified: {detail} (tools reach it with or without them)"
            ),
        }
    }
}

/// What to say and leave out, given each checked entry with its outcome,
/// by [`Status::on_verify`]: any registry without a verdict stops, whatever
/// `on_rejected` says; then each refused entry fails or is dropped, and each
/// unverified one is kept with a warning, in order.
///
/// ```
/// use registry_config::auth::{Outcome, Status};
/// use registry_config::{verify, OnRejected};
///
/// let valid = Outcome { status: Status::Valid, detail: "ok".into() };
/// let rejected = Outcome { status: Status::Rejected, detail: "401".into() };
/// let notes = verify([("ghcr.io", &valid), ("quay.io", &rejected)], OnRejected::Drop).unwrap();
/// assert_eq!(notes[0].removed(), Some("quay.io"));
/// assert!(verify([("quay.io", &rejected)], OnRejected::Fail).is_err());
/// ```
pub fn verify<'a>(
    checked: impl IntoIterator<Item = (&'a str, &'a Outcome)> + Clone,
    on_rejected: OnRejected,
) -> Result<Vec<VerifyNote>, VerifyError> {
    let owned = |entry: &str, outcome: &Outcome| (entry.to_owned(), outcome.detail.clone());
    if let Some((entry, outcome)) = checked
        .clone()
        .into_iter()
        .find(|(_, outcome)| outcome.status.on_verify() == VerifyPolicy::Stop)
    {
        let (entry, detail) = owned(entry, outcome);
        return Err(VerifyError::NoVerdict { entry, detail });
    }
    let mut notes = Vec::new();
    for (entry, outcome) in checked {
        let (entry, detail) = owned(entry, outcome);
        match (outcome.status.on_verify(), on_rejected) {
            (VerifyPolicy::Keep | VerifyPolicy::Stop, _) => {}
            (VerifyPolicy::KeepWithWarning, _) => {
                notes.push(VerifyNote::Unverified { entry, detail })
            }
            (VerifyPolicy::Refused, OnRejected::Fail) => {
                return Err(VerifyError::Rejected { entry, detail })
            }
            (VerifyPolicy::Refused, OnRejected::Drop) => {
                notes.push(VerifyNote::Refused { entry, detail })
            }
        }
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Status;

    fn outcome(status: Status) -> Outcome {
        Outcome {
            status,
            detail: format!("{} detail", status.as_str()),
        }
    }

    #[test]
    fn an_unreachable_registry_stops_even_after_a_rejection_and_with_drop() {
        let (rejected, error) = (outcome(Status::Rejected), outcome(Status::Error));
        let checked = [("a.io", &rejected), ("b.io", &error)];
        for on_rejected in [OnRejected::Fail, OnRejected::Drop] {
            let err = verify(checked, on_rejected).unwrap_err();
            assert_eq!(
                err.to_string(),
                "cannot verify the credentials for b.io: error detail"
            );
        }
    }

    #[test]
    fn rejected_and_anonymous_fail_or_drop_in_order() {
        let (valid, rejected, anonymous) = (
            outcome(Status::Valid),
            outcome(Status::Rejected),
            outcome(Status::Anonymous),
        );
        let checked = [("a.io", &anonymous), ("b.io", &valid), ("c.io", &rejected)];
        let err = verify(checked, OnRejected::Fail).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.io rejected the credentials: anonymous detail"
        );
        let dropped = verify(checked, OnRejected::Drop).unwrap();
        let entries: Vec<_> = dropped.iter().filter_map(VerifyNote::removed).collect();
        assert_eq!(entries, ["a.io", "c.io"]);
        assert_eq!(
            dropped[1].to_string(),
            "left c.io out: it rejected the credentials (rejected detail); tools will try it anonymously"
        );
        assert_eq!(verify([("b.io", &valid)], OnRejected::Fail), Ok(vec![]));
    }

    #[test]
    fn unverified_entries_are_kept_with_a_warning_even_with_fail() {
        let unverified = outcome(Status::Unverified);
        for on_rejected in [OnRejected::Fail, OnRejected::Drop] {
            let notes = verify([("a.io", &unverified)], on_rejected).unwrap();
            assert_eq!(notes[0].removed(), None);
            assert_eq!(
                notes[0].to_string(),
                "kept a.io unverified: unverified detail (tools reach it with or without them)"
            );
        }
    }

    #[test]
    fn on_rejected_reads_fail_and_drop_only() {
        assert_eq!("drop".parse(), Ok(OnRejected::Drop));
        assert_eq!("fail".parse(), Ok(OnRejected::Fail));
        let err = "warn".parse::<OnRejected>().unwrap_err();
        assert_eq!(err.to_string(), r#"must be "fail" or "drop", not "warn""#);
    }
}
