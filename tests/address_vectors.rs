//! Address normalisation against the 20 test vectors of
//! `research/credential-files.md`, plus the refusals.
//!
//! Each vector lists the `auths` keys users write; the table says which key
//! registry-config renders for each, in each format. The rendered key is the
//! one the research found every client (docker, buildkit, podman, crane,
//! oras/helm, regclient) to accept: a bare `host[:port]`, Docker Hub as
//! `https://index.docker.io/v1/` in the Docker format and `docker.io` in the
//! containers format, repository scopes in the containers format only.

use registry_config::{AddressProblem, Format, RegistryAddress};

const HUB: &str = "https://index.docker.io/v1/";

/// (vector, key as written, Docker-format key or None if refused, containers-format key)
const VECTORS: &[(u8, &str, Option<&str>, &str)] = &[
    (1, "https://index.docker.io/v1/", Some(HUB), "docker.io"),
    (2, "docker.io", Some(HUB), "docker.io"),
    (3, "index.docker.io", Some(HUB), "docker.io"),
    (4, "registry-1.docker.io", Some(HUB), "docker.io"),
    (5, "https://index.docker.io/v1", Some(HUB), "docker.io"),
    (6, "https://index.docker.io/v1/", Some(HUB), "docker.io"),
    (7, "https://index.docker.io/v1/", Some(HUB), "docker.io"),
    (7, "docker.io/myorg", None, "docker.io/myorg"),
    (8, "docker.io/library", None, "docker.io/library"),
    (9, "ghcr.io", Some("ghcr.io"), "ghcr.io"),
    (10, "https://ghcr.io", Some("ghcr.io"), "ghcr.io"),
    (11, "https://ghcr.io/v2/", Some("ghcr.io"), "ghcr.io"),
    (12, "http://ghcr.io", Some("ghcr.io"), "ghcr.io"),
    (13, "ghcr.io/", Some("ghcr.io"), "ghcr.io"),
    (14, "ghcr.io/org", None, "ghcr.io/org"),
    (15, "ghcr.io", Some("ghcr.io"), "ghcr.io"),
    (15, "ghcr.io/org", None, "ghcr.io/org"),
    (16, "quay.io/a", None, "quay.io/a"),
    (16, "quay.io/b", None, "quay.io/b"),
    (17, "https://ghcr.io", Some("ghcr.io"), "ghcr.io"),
    (17, "ghcr.io", Some("ghcr.io"), "ghcr.io"),
    (
        18,
        "http://localhost:5000",
        Some("localhost:5000"),
        "localhost:5000",
    ),
    (19, "myreg.example", Some("myreg.example"), "myreg.example"),
    (
        19,
        "myreg.example:443",
        Some("myreg.example:443"),
        "myreg.example:443",
    ),
    (19, "GHCR.IO", Some("ghcr.io"), "ghcr.io"),
    (20, "oci://oci.example", Some("oci.example"), "oci.example"),
];

#[test]
fn all_twenty_vectors_render_the_key_every_client_finds() {
    let mut seen = std::collections::BTreeSet::new();
    for &(vector, written, docker, containers) in VECTORS {
        seen.insert(vector);
        let address = RegistryAddress::parse(written)
            .unwrap_or_else(|err| panic!("vector {vector}: {written:?}: {err}"));
        assert_eq!(
            address.key(Format::Containers).unwrap(),
            containers,
            "vector {vector}: {written:?} in the containers format"
        );
        match (docker, address.key(Format::Docker)) {
            (Some(expected), Ok(key)) => assert_eq!(key, expected, "vector {vector}: {written:?}"),
            (None, Err(err)) => {
                assert_eq!(err.problem(), &AddressProblem::RepositoryInDockerFormat)
            }
            (expected, got) => {
                panic!("vector {vector}: {written:?}: expected {expected:?}, got {got:?}")
            }
        }
    }
    assert_eq!(seen.len(), 20, "every vector is covered");
}

#[test]
fn scheme_and_loopback_facts_are_kept() {
    let plain = RegistryAddress::parse("http://localhost:5000").unwrap();
    assert!(plain.plain_http());
    assert_eq!(plain.host(), "localhost:5000");
    assert!(!RegistryAddress::parse("https://ghcr.io")
        .unwrap()
        .plain_http());
    let scoped = RegistryAddress::parse("quay.io/a/b").unwrap();
    assert_eq!(
        (scoped.host(), scoped.repository()),
        ("quay.io", Some("a/b"))
    );
    assert!(RegistryAddress::parse("registry-1.docker.io")
        .unwrap()
        .is_docker_hub());
    assert!(!RegistryAddress::parse("docker.io:443")
        .unwrap()
        .is_docker_hub());
    assert_eq!(
        RegistryAddress::parse("[::1]:5000").unwrap().canonical(),
        "[::1]:5000"
    );
    assert_eq!(
        RegistryAddress::parse("127.0.0.1:5000/v2/")
            .unwrap()
            .canonical(),
        "127.0.0.1:5000"
    );
}

#[test]
fn bad_addresses_are_refused_with_a_reason() {
    use AddressProblem::*;
    let refusals: &[(&str, AddressProblem)] = &[
        ("", Empty),
        ("ghcr .io", Whitespace),
        (" ghcr.io", Whitespace),
        ("ghcr.io\n", Whitespace),
        ("ftp://ghcr.io", Scheme),
        ("user:pass@ghcr.io", UserInfo),
        ("https://user@ghcr.io", UserInfo),
        ("ghcr.io?x=1", QueryOrFragment),
        ("ghcr.io#top", QueryOrFragment),
        ("https://", EmptyHost),
        (":5000", EmptyHost),
        ("/org", EmptyHost),
        ("ghcr..io", Host),
        ("-ghcr.io", Host),
        ("gh_cr.io", Host),
        ("ghcr.io:0", Port),
        ("ghcr.io:65536", Port),
        ("ghcr.io:http", Port),
        ("ghcr.io:", Port),
        ("ghcr.io/Org", RepositoryCase),
        ("ghcr.io/org//app", Repository),
        ("ghcr.io/org/-app", Repository),
    ];
    for (input, problem) in refusals {
        let err = RegistryAddress::parse(input).expect_err(input);
        assert_eq!(err.problem(), problem, "{input:?}");
        assert!(
            err.to_string().starts_with("invalid registry address"),
            "{err}"
        );
    }
}
