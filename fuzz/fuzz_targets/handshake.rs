//! The handshake fed arbitrary replies: it always ends, in a bounded number
//! of requests, and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use registry_config::auth::{Action, Handshake, Response, TransportErrorKind};
use registry_config::{Credential, RegistryAddress, Secret};

fuzz_target!(|data: &[u8]| {
    let (selector, mut rest) = data.split_first().unwrap_or((&0, &[]));
    let target = ["registry.example", "127.0.0.1:5000/app", "docker.io/library/alpine"][usize::from(*selector % 3)];
    let credential = match selector / 3 % 4 {
        0 => None,
        1 => Some(Credential::basic("alice", Secret::new("s3cret".into()))),
        2 => Some(Credential::identity_token(Secret::new("refresh".into()))),
        _ => Some(Credential::registry_token(Secret::new("bearer".into()))),
    };
    let address = RegistryAddress::parse(target).expect("valid target");
    let mut handshake = Handshake::new(&address, credential.as_ref(), selector & 0x80 != 0);
    for _ in 0..32 {
        match handshake.poll_action() {
            Some(Action::Done(outcome)) => {
                if let Some(credential) = &credential {
                    assert!(!outcome.detail.contains(credential.secret().expose()), "{}", outcome.detail);
                }
                return;
            }
            Some(Action::Send(_)) => {}
            None => panic!("the handshake stalled"),
        }
        // Each reply: 1 byte status choice, 1 byte length, then a header line and a body.
        let Some((&choice, tail)) = rest.split_first() else {
            handshake.handle_transport_error(TransportErrorKind::Connect, "eof");
            continue;
        };
        let statuses = [200, 401, 403, 404, 405, 500, 0];
        let status = statuses[usize::from(choice) % statuses.len()];
        let (length, tail) = tail.split_first().map_or((0, tail), |(l, t)| (usize::from(*l), t));
        let (chunk, tail) = tail.split_at(length.min(tail.len()));
        rest = tail;
        if status == 0 {
            handshake.handle_transport_error(TransportErrorKind::Tls, "tls");
            continue;
        }
        let text = String::from_utf8_lossy(chunk);
        let (header, body) = text.split_once('\n').unwrap_or((&text, ""));
        handshake.handle_response(Response {
            status,
            www_authenticate: vec![header.to_owned()],
            body: body.as_bytes().to_vec(),
            url: None,
        });
    }
    panic!("the handshake did not end within 32 steps");
});
