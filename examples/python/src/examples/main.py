"""Examples for the daggerverse page of registry-config."""

from typing import Annotated

import dagger
from dagger import Doc, dag, function, object_type


@object_type
class Examples:
    """Examples for the daggerverse page of registry-config."""

    @function
    async def registry_config_apply__helm_push(
        self,
        chart: Annotated[dagger.Directory, Doc("The chart's folder (holding Chart.yaml).")],
        repository: Annotated[str, Doc("OCI repository to push to, for example ghcr.io/my-org/charts.")],
        username: Annotated[str, Doc("Registry username.")],
        password: Annotated[dagger.Secret, Doc("Registry password or token.")],
    ) -> str:
        """Packages a chart and pushes it to an OCI registry. apply mounts the
        credentials and sets HELM_REGISTRY_CONFIG (and DOCKER_CONFIG,
        REGISTRY_AUTH_FILE) for every tool in the container."""
        registry = repository.split("/", 1)[0]
        return await (
            dag.registry_config()
            .with_registry_auth(registry, username, password)
            .apply(dag.container().from_("alpine/helm:3.16.4"))
            .with_mounted_directory("/src/chart", chart)
            .with_workdir("/out")
            .with_exec(["helm", "package", "/src/chart"])
            .with_exec(["sh", "-c", f'helm push /out/*.tgz "oci://{repository}"'])
            .stdout()
        )

    @function
    async def registry_config_secret_mount__skopeo_copy(
        self,
        source: Annotated[str, Doc("Image to copy, for example docker.io/library/alpine:3.20.")],
        destination: Annotated[str, Doc("Where to copy it, for example ghcr.io/my-org/alpine:3.20.")],
        username: Annotated[str, Doc("Registry username (for the destination).")],
        password: Annotated[dagger.Secret, Doc("Registry password or token (for the destination).")],
    ) -> str:
        """Copies an image between registries with skopeo, the config mounted
        as a secret file where skopeo looks for it (/run/containers/$UID/auth.json)."""
        registry = destination.split("/", 1)[0]
        return await (
            dag.registry_config()
            .with_registry_auth(registry, username, password)
            .secret_mount("/run/containers/0/auth.json", skip_on_empty=True)
            .mount(dag.container().from_("quay.io/skopeo/stable:v1.16.1"))
            .with_exec(["skopeo", "copy", "--all", f"docker://{source}", f"docker://{destination}"])
            .stdout()
        )
