// Examples of registry-config: registry credentials for helm and skopeo
// without `helm registry login` or `skopeo login` writing them to a layer.
//
// `dagger develop` generates internal/dagger (with dag.RegistryConfig())
// and completes go.mod.
package main

import (
	"context"
	"strings"

	"dagger/examples/internal/dagger"
)

// Examples for the daggerverse page of registry-config.
type Examples struct{}

// Packages a chart and pushes it to an OCI registry. Apply mounts the
// credentials and sets HELM_REGISTRY_CONFIG (and DOCKER_CONFIG,
// REGISTRY_AUTH_FILE) for every tool in the container.
func (m *Examples) RegistryConfigApply_HelmPush(
	ctx context.Context,
	// The chart's folder (holding Chart.yaml).
	chart *dagger.Directory,
	// OCI repository to push to, for example ghcr.io/my-org/charts.
	repository string,
	// Registry username.
	username string,
	// Registry password or token.
	password *dagger.Secret,
) (string, error) {
	registry, _, _ := strings.Cut(repository, "/")
	return dag.RegistryConfig().
		WithRegistryAuth(registry, username, password).
		Apply(dag.Container().From("alpine/helm:3.16.4")).
		WithMountedDirectory("/src/chart", chart).
		WithWorkdir("/out").
		WithExec([]string{"helm", "package", "/src/chart"}).
		WithExec([]string{"sh", "-c", `helm push /out/*.tgz "oci://` + repository + `"`}).
		Stdout(ctx)
}

// Copies an image between registries with skopeo, the config mounted as a
// secret file where skopeo looks for it (/run/containers/$UID/auth.json).
func (m *Examples) RegistryConfigSecretMount_SkopeoCopy(
	ctx context.Context,
	// Image to copy, for example docker.io/library/alpine:3.20.
	source string,
	// Where to copy it, for example ghcr.io/my-org/alpine:3.20.
	destination string,
	// Registry username (for the destination).
	username string,
	// Registry password or token (for the destination).
	password *dagger.Secret,
) (string, error) {
	registry, _, _ := strings.Cut(destination, "/")
	return dag.RegistryConfig().
		WithRegistryAuth(registry, username, password).
		SecretMount("/run/containers/0/auth.json", dagger.RegistryConfigSecretMountOpts{SkipOnEmpty: true}).
		Mount(dag.Container().From("quay.io/skopeo/stable:v1.16.1")).
		WithExec([]string{"skopeo", "copy", "--all", "docker://" + source, "docker://" + destination}).
		Stdout(ctx)
}
