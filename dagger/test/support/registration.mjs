// What the module registers, shared by the tests that drive registration.

/** RegistryConfig's and SecretMount's functions, in registration order: the daggerverse names, then ours. */
export const FUNCTIONS = [
  "withRegistryAuth",
  "withoutRegistryAuth",
  "withIdentityToken",
  "withRegistryToken",
  "withConfig",
  "secret",
  "secretMount",
  "apply",
  "check",
  "verified",
  "mount",
]

/** SecretMount's readable fields, as the Go module exposes them. */
export const SECRET_MOUNT_FIELDS = ["path", "secretName", "skipOnEmpty", "owner", "mode"]
