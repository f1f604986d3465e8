/**
 * Examples of registry-config: registry credentials for helm and skopeo
 * without `helm registry login` or `skopeo login` writing them to a layer.
 */
import { Container, Directory, Secret, dag, func, object } from "@dagger.io/dagger"

/**
 * Examples for the daggerverse page of registry-config.
 */
@object()
export class Examples {
  /**
   * Packages a chart and pushes it to an OCI registry. apply mounts the
   * credentials and sets HELM_REGISTRY_CONFIG (and DOCKER_CONFIG,
   * REGISTRY_AUTH_FILE) for every tool in the container.
   */
  @func()
  async registryConfigApply_helmPush(
    /**
     * The chart's folder (holding Chart.yaml).
     */
    chart: Directory,
    /**
     * OCI repository to push to, for example ghcr.io/my-org/charts.
     */
    repository: string,
    /**
     * Registry username.
     */
    username: string,
    /**
     * Registry password or token.
     */
    password: Secret,
  ): Promise<string> {
    const registry = repository.split("/")[0]
    const helm = dag
      .registryConfig()
      .withRegistryAuth(registry, username, password)
      .apply(dag.container().from("alpine/helm:3.16.4"))
    return helm
      .withMountedDirectory("/src/chart", chart)
      .withWorkdir("/out")
      .withExec(["helm", "package", "/src/chart"])
      .withExec(["sh", "-c", `helm push /out/*.tgz "oci://${repository}"`])
      .stdout()
  }

  /**
   * Copies an image between registries with skopeo, the config mounted as a
   * secret file where skopeo looks for it.
   */
  @func()
  async registryConfigSecretMount_skopeoCopy(
    /**
     * Image to copy, for example docker.io/library/alpine:3.20.
     */
    source: string,
    /**
     * Where to copy it, for example ghcr.io/my-org/alpine:3.20.
     */
    destination: string,
    /**
     * Registry username (for the destination).
     */
    username: string,
    /**
     * Registry password or token (for the destination).
     */
    password: Secret,
  ): Promise<string> {
    const registry = destination.split("/")[0]
    const skopeo: Container = dag
      .registryConfig()
      .withRegistryAuth(registry, username, password)
      .secretMount("/run/containers/0/auth.json", { skipOnEmpty: true })
      .mount(dag.container().from("quay.io/skopeo/stable:v1.16.1"))
    return skopeo
      .withExec(["skopeo", "copy", "--all", `docker://${source}`, `docker://${destination}`])
      .stdout()
  }
}
