//! Copies an image to a registry with skopeo, authenticated by a config that
//! registry-config renders from a host credential: the password goes from
//! the host's environment to the engine as a secret, never into a layer.
//!
//! ```sh
//! REGISTRY=ghcr.io REGISTRY_USER=octocat REGISTRY_PASSWORD=ghp_... \
//! TARGET=ghcr.io/octocat/alpine:3.20 \
//!   dagger run cargo run -p registry-config-dagger --example publish
//! ```

use registry_config_dagger::RegistryConfig;

#[tokio::main(flavor = "current_thread")]
async fn main() -> eyre::Result<()> {
    dagger_sdk::connect(|dag| async move {
        let registry = std::env::var("REGISTRY")?;
        let user = std::env::var("REGISTRY_USER")?;
        let target = std::env::var("TARGET")?;
        // Resolved by the dagger CLI from its own environment: the value never
        // appears in a query.
        let password = dag.secret("env:REGISTRY_PASSWORD");

        let config = RegistryConfig::new().with_registry_auth(&registry, &user, &password)?;
        let skopeo = config
            .apply(&dag.container().from("quay.io/skopeo/stable:latest"), None)
            .await?;
        // skopeo finds the credentials through REGISTRY_AUTH_FILE, set by apply.
        skopeo
            .with_exec(vec![
                "skopeo".to_owned(),
                "copy".to_owned(),
                "--all".to_owned(),
                "docker://docker.io/library/alpine:3.20".to_owned(),
                format!("docker://{target}"),
            ])
            .sync()
            .await?;
        eprintln!("pushed {target}");
        Ok(())
    })
    .await?;
    Ok(())
}
