// The thin, impure edge of the configuration: reads the engine's config map and hands it to the
// pure `parse()`. Secret values never reach `parse()`: only the fact that a key is set, and
// whether it is stored encrypted.
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE, SECRET_KEYS } from "./schema";
import { StackConfig, isSecretRequired, parse } from "./stack-config";

/** Secret config values, each an Output marked secret; a conditional one only when required. */
export interface Secrets {
  readonly ghcrToken: pulumi.Output<string>;
  readonly appSecretKey: pulumi.Output<string>;
  /** Set when `database.mode` is external. */
  readonly databaseUrl?: pulumi.Output<string>;
  /** Set when the stack has it (a service may name it). */
  readonly redisUrl?: pulumi.Output<string>;
  /** Set when `github.repositories` is not empty. */
  readonly githubToken?: pulumi.Output<string>;
  /** Set when the stack has it. */
  readonly chatWebhookUrl?: pulumi.Output<string>;
}

export interface LoadedConfig extends StackConfig {
  /** Secret config values, each an Output marked secret. */
  readonly secrets: Secrets;
}

/** Placeholder that stands in for a secret value inside `parse()`. */
const REDACTED = "[secret]";

// `isConfigSecret` is exported by the SDK's runtime but missing from its typings.
type RuntimeWithSecrets = { isConfigSecret?: (key: string) => boolean };

function isConfigSecret(key: string): boolean {
  const fn = (pulumi.runtime as unknown as RuntimeWithSecrets).isConfigSecret;
  if (typeof fn !== "function") {
    throw new Error("internal: @pulumi/pulumi no longer exports runtime.isConfigSecret");
  }
  return fn(key);
}

/** Reads, validates and types the current stack's configuration. */
export function load(): LoadedConfig {
  const all = pulumi.runtime.allConfig();
  const raw: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(all)) {
    if (isConfigSecret(key)) {
      secretKeys.add(key);
      // Emptiness is all parse() may learn of a secret's value.
      raw[key] = value === "" ? "" : REDACTED;
    } else {
      raw[key] = value;
    }
  }
  const config = parse(raw, pulumi.getStack(), secretKeys);
  const gad = new pulumi.Config(NAMESPACE);
  const secrets = Object.fromEntries(
    Object.keys(SECRET_KEYS)
      .filter((key) => isSecretRequired(key, raw) || `${NAMESPACE}:${key}` in raw)
      .map((key) => [key, gad.requireSecret(key)]),
  ) as unknown as Secrets;
  return { ...config, secrets };
}
