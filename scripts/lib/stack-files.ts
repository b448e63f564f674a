// Reads the committed Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI hands them to
// the program: project defaults first, stack values over them, every value as a string (JSON for
// lists and objects), `secure:` values flagged as secrets.
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface EngineConfig {
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export function readYaml(file: string): Record<string, unknown> {
  return parseYaml(fs.readFileSync(path.join(ROOT, file), "utf8")) as Record<string, unknown>;
}

export function committedStacks(): string[] {
  return fs
    .readdirSync(ROOT)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function asEngineString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The config of `stack` as the engine would pass it, optionally with extra stack values. */
export function engineConfig(stack: string, overrides: Record<string, unknown> = {}): EngineConfig {
  const project = readYaml("Pulumi.yaml") as {
    name: string;
    config?: Record<string, { default?: unknown }>;
  };
  const stackFile = readYaml(`Pulumi.${stack}.yaml`) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    const qualified = key.includes(":") ? key : `${project.name}:${key}`;
    if (decl.default !== undefined) config[qualified] = asEngineString(decl.default);
  }
  for (const [key, value] of Object.entries({ ...(stackFile.config ?? {}), ...overrides })) {
    if (value !== null && typeof value === "object" && "secure" in value) {
      secretKeys.push(key);
      config[key] = "decrypted-secret-value";
    } else {
      config[key] = asEngineString(value);
    }
  }
  return { config, secretKeys };
}

/** Fake values for every required secret, as `pulumi config set --secret` would store them. */
export function withSecrets(engine: EngineConfig, keys: readonly string[]): EngineConfig {
  const config = { ...engine.config };
  for (const key of keys) config[`gad:${key}`] = `test-${key}-value`;
  return { config, secretKeys: [...engine.secretKeys, ...keys.map((k) => `gad:${k}`)] };
}
