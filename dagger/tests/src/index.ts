/**
 * Tests of the registry-config module, run against a real engine:
 * `dagger call -m dagger/tests all`, or one test by name
 * (`dagger call -m dagger/tests secret-mount-mount`).
 */
import { Container, RegistryConfig, Secret, dag, func, object } from "@dagger.io/dagger"

const hub = "https://index.docker.io/v1/"
const b64 = (text: string) => Buffer.from(text).toString("base64")

/**
 * A password secret unique to `test`.
 */
function password(test: string, value = "password"): Secret {
  return dag.setSecret(`tests-${test}-${value}`, value)
}

/**
 * A small image with a shell, cat and test.
 */
function alpine(): Container {
  return dag.container().from("alpine:3.20")
}

/**
 * Fails with both values when they differ (compared as JSON).
 */
function assertJson(actual: string, expected: unknown, what: string): void {
  const got = JSON.stringify(JSON.parse(actual))
  const want = JSON.stringify(expected)
  if (got !== want) {
    throw new Error(`${what}: got ${got}, want ${want}`)
  }
}

/**
 * Fails unless `run` fails with a message containing `fragment`.
 */
async function assertFails(run: () => Promise<unknown>, fragment: string, what: string): Promise<void> {
  try {
    await run()
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    if (!message.includes(fragment)) {
      throw new Error(`${what}: the error does not mention ${JSON.stringify(fragment)}: ${message}`)
    }
    return
  }
  throw new Error(`${what}: expected an error`)
}

/**
 * A loopback port nothing listens on inside the module's runtime container
 * (not one fetch blocks, like 1 or 6000): checks against it fail to connect,
 * over HTTPS and then over plain HTTP, with no network needed.
 */
const closed = "127.0.0.1:59999"

/**
 * A config with one entry for an address nothing answers on.
 */
function unreachable(test: string): RegistryConfig {
  return dag.registryConfig().withRegistryAuth(closed, "me", password(test))
}

/**
 * One check per behaviour, named <Func>_<Scenario>.
 */
@object()
export class Tests {
  /**
   * Runs every test.
   */
  @func()
  async all(): Promise<void> {
    await Promise.all([
      this.withRegistryAuth_Normalised(),
      this.withRegistryAuth_LaterWins(),
      this.withRegistryAuth_BadAddress(),
      this.withoutRegistryAuth_Normalised(),
      this.withIdentityToken_Rendered(),
      this.withRegistryToken_Rendered(),
      this.withConfig_Merged(),
      this.secret_Name(),
      this.secret_Containers(),
      this.secretMount_Mount(),
      this.secretMount_Fields(),
      this.secretMount_SkipOnEmpty(),
      this.apply_Env(),
      this.check_Unreachable(),
      this.verified_Unreachable(),
      this.verified_BadOnRejected(),
    ])
  }

  /**
   * Addresses are written under the key every client finds.
   */
  @func()
  async withRegistryAuth_Normalised(): Promise<void> {
    const config = dag
      .registryConfig()
      .withRegistryAuth("https://ghcr.io/v2/", "me", password("normalised"))
      .withRegistryAuth("docker.io", "me", password("normalised", "hub"))
    assertJson(
      await config.secret().plaintext(),
      { auths: { "ghcr.io": { auth: b64("me:password") }, [hub]: { auth: b64("me:hub") } } },
      "withRegistryAuth",
    )
  }

  /**
   * A later entry for the same registry wins, whatever its spelling.
   */
  @func()
  async withRegistryAuth_LaterWins(): Promise<void> {
    const config = dag
      .registryConfig()
      .withRegistryAuth("ghcr.io", "me", password("later", "old"))
      .withRegistryAuth("GHCR.IO", "me", password("later", "new"))
    assertJson(await config.secret().plaintext(), { auths: { "ghcr.io": { auth: b64("me:new") } } }, "later entry")
  }

  /**
   * A bad address fails, naming the address.
   */
  @func()
  async withRegistryAuth_BadAddress(): Promise<void> {
    await assertFails(
      () => dag.registryConfig().withRegistryAuth("ghcr .io", "me", password("bad")).id(),
      "ghcr .io",
      "bad address",
    )
  }

  /**
   * Removal is by normalised address.
   */
  @func()
  async withoutRegistryAuth_Normalised(): Promise<void> {
    const config = dag
      .registryConfig()
      .withRegistryAuth("ghcr.io", "me", password("without"))
      .withRegistryAuth("quay.io", "me", password("without"))
      .withoutRegistryAuth("https://ghcr.io")
    assertJson(await config.secret().plaintext(), { auths: { "quay.io": { auth: b64("me:password") } } }, "removal")
  }

  /**
   * Identity tokens are written as identitytoken.
   */
  @func()
  async withIdentityToken_Rendered(): Promise<void> {
    const config = dag.registryConfig().withIdentityToken("ghcr.io", password("identity", "refresh"))
    assertJson(
      await config.secret().plaintext(),
      { auths: { "ghcr.io": { auth: b64("<token>:"), identitytoken: "refresh" } } },
      "identity token",
    )
  }

  /**
   * Registry tokens are written as registrytoken.
   */
  @func()
  async withRegistryToken_Rendered(): Promise<void> {
    const config = dag.registryConfig().withRegistryToken("ghcr.io", password("registry", "bearer"))
    assertJson(await config.secret().plaintext(), { auths: { "ghcr.io": { registrytoken: "bearer" } } }, "registry token")
  }

  /**
   * A base config's auths are kept; credsStore is dropped.
   */
  @func()
  async withConfig_Merged(): Promise<void> {
    const base = dag.setSecret(
      "tests-with-config-base",
      JSON.stringify({ auths: { "quay.io": { auth: b64("q:q") } }, credsStore: "desktop" }),
    )
    const config = dag.registryConfig().withConfig(base).withRegistryAuth("ghcr.io", "me", password("with-config"))
    assertJson(
      await config.secret().plaintext(),
      { auths: { "quay.io": { auth: b64("q:q") }, "ghcr.io": { auth: b64("me:password") } } },
      "base config",
    )
  }

  /**
   * The default secret name is registry-config- and 32 hex digits.
   */
  @func()
  async secret_Name(): Promise<void> {
    const name = await dag.registryConfig().withRegistryAuth("ghcr.io", "me", password("name")).secret().name()
    if (!/^registry-config-[0-9a-f]{32}$/.test(name)) {
      throw new Error(`secret name: ${name}`)
    }
  }

  /**
   * The containers format keeps repository scopes and writes Docker Hub as docker.io.
   */
  @func()
  async secret_Containers(): Promise<void> {
    const config = dag
      .registryConfig()
      .withRegistryAuth("ghcr.io/org", "me", password("containers"))
      .withRegistryAuth(hub, "me", password("containers"))
    assertJson(
      await config.secret({ format: "containers" }).plaintext(),
      { auths: { "ghcr.io/org": { auth: b64("me:password") }, "docker.io": { auth: b64("me:password") } } },
      "containers format",
    )
  }

  /**
   * The config is mounted at the path, with the owner and mode given.
   */
  @func()
  async secretMount_Mount(): Promise<void> {
    const out = await dag
      .registryConfig()
      .withRegistryAuth("ghcr.io", "me", password("mount"))
      .secretMount("/home/app/.docker/config.json", { owner: "1000:1000", mode: 0o600 })
      .mount(alpine())
      .withExec(["sh", "-c", "stat -c '%u:%g %a' /home/app/.docker/config.json && cat /home/app/.docker/config.json"])
      .stdout()
    const [stat, ...json] = out.split("\n")
    if (stat !== "1000:1000 600") {
      throw new Error(`secretMount owner/mode: ${stat}`)
    }
    assertJson(json.join("\n"), { auths: { "ghcr.io": { auth: b64("me:password") } } }, "mounted config")
  }

  /**
   * path, secretName, skipOnEmpty, owner and mode read back as given, as the
   * Go module's fields do.
   */
  @func()
  async secretMount_Fields(): Promise<void> {
    const mount = dag
      .registryConfig()
      .secretMount("/root/.docker/config.json", { secretName: "fields", skipOnEmpty: true, owner: "1000", mode: 0o640 })
    const fields = [await mount.path(), await mount.secretName(), await mount.skipOnEmpty(), await mount.owner(), await mount.mode()]
    assertJson(JSON.stringify(fields), ["/root/.docker/config.json", "fields", true, "1000", 0o640], "secretMount fields")
  }

  /**
   * With skipOnEmpty and no credentials the container is unchanged.
   */
  @func()
  async secretMount_SkipOnEmpty(): Promise<void> {
    await dag
      .registryConfig()
      .secretMount("/root/.docker/config.json", { skipOnEmpty: true })
      .mount(alpine())
      .withExec(["sh", "-c", "test ! -e /root/.docker/config.json"])
      .sync()
  }

  /**
   * apply mounts both formats and points the three variables at them.
   */
  @func()
  async apply_Env(): Promise<void> {
    const out = await dag
      .registryConfig()
      .withRegistryAuth("docker.io", "me", password("apply"))
      .apply(alpine())
      .withExec(["sh", "-c", 'cat "$DOCKER_CONFIG/config.json" && echo "---" && cat "$REGISTRY_AUTH_FILE" && echo "---$HELM_REGISTRY_CONFIG"'])
      .stdout()
    const [docker, containers, helm] = out.split("---")
    assertJson(docker, { auths: { [hub]: { auth: b64("me:password") } } }, "apply config.json")
    assertJson(containers, { auths: { "docker.io": { auth: b64("me:password") } } }, "apply auth.json")
    if (helm.trim() !== "/run/registry-config/config.json") {
      throw new Error(`HELM_REGISTRY_CONFIG: ${helm}`)
    }
  }

  /**
   * A registry nothing answers for is an error (after HTTPS and plain HTTP
   * were both tried), reported as JSON.
   */
  @func()
  async check_Unreachable(): Promise<void> {
    const [report, ...more] = JSON.parse(await unreachable("check-unreachable").check())
    if (more.length !== 0 || report.registry !== closed || report.repository !== null || report.status !== "error") {
      throw new Error(`check: ${JSON.stringify(report)}`)
    }
    if (!/GET \/v2\//.test(report.detail)) {
      throw new Error(`check detail: ${report.detail}`)
    }
  }

  /**
   * An unreachable registry stops verified, even with onRejected drop.
   */
  @func()
  async verified_Unreachable(): Promise<void> {
    await assertFails(
      () => unreachable("verified-unreachable").verified({ onRejected: "drop" }).id(),
      `cannot verify the credentials for ${closed}`,
      "verified unreachable",
    )
  }

  /**
   * onRejected is fail or drop.
   */
  @func()
  async verified_BadOnRejected(): Promise<void> {
    await assertFails(
      () => unreachable("verified-bad").verified({ onRejected: "warn" }).id(),
      'onRejected must be "fail" or "drop"',
      "verified onRejected",
    )
  }
}
