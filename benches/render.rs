//! Rendering time for 1, 100 and 10,000 entries (target: 10,000 under 5 ms).
//!
//! Run: `cargo bench -p registry-config --bench render`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use registry_config::{Credential, Format, RegistryConfig, Secret};

fn config_with(entries: usize) -> RegistryConfig {
    let mut config = RegistryConfig::new();
    for i in 0..entries {
        let password = Secret::new(format!("ghp_{i:036}"));
        config
            .insert(
                &format!("registry-{i}.example:5000"),
                Credential::basic("ci-bot", password),
            )
            .expect("valid entry");
    }
    config
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    for entries in [1, 100, 10_000] {
        let config = config_with(entries);
        group.throughput(Throughput::Elements(entries as u64));
        for format in [Format::Docker, Format::Containers] {
            group.bench_with_input(
                BenchmarkId::new(format.to_string(), entries),
                &config,
                |b, config| b.iter(|| config.render(format).expect("renders")),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
