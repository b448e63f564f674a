// The single typed configuration of the program: a pure `parse()` that validates every key and
// reports every problem at once. `load.ts` feeds it from the Pulumi engine.
import * as pulumi from "@pulumi/pulumi";
import { ConfigReader, formatProblem } from "./reader";
import {
  CONFIG_KEYS,
  NAMESPACE,
  REGION_KEY,
  SECRET_KEYS,
  describeCondition,
  qualify,
} from "./schema";
import { suggest } from "./suggest";
import { checkAwsRegion, checkEmail, checkGithubReviewer, checkStackName } from "../rules/names";
import { readBackup, readDatabase, readDrill, readNetwork } from "./sections";
import { readDomain, readGithub, readLoadBalancer, readRollout } from "./sections-web";
import { readServices } from "./services";
import type { StackConfig } from "../rules/types";

export * from "../rules/types";

/** Raw configuration: fully qualified keys (`gad:backup.retentionDays`, `aws:region`) to values. */
export type RawConfig = Readonly<Record<string, unknown>>;

/**
 * Validates raw stack configuration and returns the typed configuration.
 *
 * @param raw every config value of the stack, keyed `namespace:key`
 * @param stack the stack name
 * @param secretKeys the fully qualified keys whose values are stored encrypted
 * @throws pulumi.RunError listing every problem, one `key: rule (got value)` per line
 */
export function parse(
  raw: RawConfig,
  stack: string,
  secretKeys: ReadonlySet<string> = new Set(),
): StackConfig {
  const r = new ConfigReader(raw);
  const stackProblem = checkStackName(stack);
  if (stackProblem) r.fail("stack name", stackProblem, stack);

  const region = raw[REGION_KEY];
  if (region === undefined) {
    r.fail(REGION_KEY, "is required: pulumi config set aws:region sa-east-1");
  } else {
    const problem = typeof region === "string" ? checkAwsRegion(region) : "must be a string";
    if (problem) r.fail(REGION_KEY, problem, region);
  }
  checkKeys(r, raw, stack, secretKeys);

  const backup = readBackup(r);
  const database = readDatabase(r);
  const config = {
    stack,
    region: region as string,
    protectStatefulResources: r.boolean("protectStatefulResources"),
    backup,
    drill: readDrill(r, backup.timezone, database.engineVersion),
    database,
    alarms: {
      emails: r.list("alarms.emails", checkEmail),
      http5xxPercent: r.integer("alarms.http5xxPercent", 1, 100),
      latencyP95Milliseconds: r.integer("alarms.latencyP95Milliseconds", 10, 600000),
    },
    domain: readDomain(r, region),
    loadBalancer: readLoadBalancer(r),
    rollout: readRollout(r),
    ghcr: { username: r.string("ghcr.username", checkGithubLogin) },
    services: readServices(r),
    network: readNetwork(r),
    github: readGithub(r),
  };

  const used = new Set(config.services.flatMap((service) => Object.values(service.secrets)));
  const missingSecrets = Object.keys(SECRET_KEYS).filter(
    (k) => (isSecretRequired(k, raw) || used.has(k)) && !(qualify(k) in raw),
  );
  for (const k of Object.keys(SECRET_KEYS)) {
    const when = SECRET_KEYS[k].requiredWhen;
    if (when && qualify(k) in raw && !isSecretRequired(k, raw)) {
      const fix = "equals" in when ? ` or set ${qualify(when.key)} to ${String(when.equals)}` : "";
      r.fail(
        k,
        `is used only when ${describeCondition(when)}: remove it (pulumi config rm --stack ${stack} ${k})${fix}`,
        "[secret]",
      );
    }
  }
  if (r.problems.length > 0 || missingSecrets.length > 0) {
    throw new pulumi.RunError(
      describeProblems(stack, r.problems.map(formatProblem), missingSecrets),
    );
  }
  return config as StackConfig;
}

/** Whether `key` (a SECRET_KEYS entry) must be set, given the rest of the raw config. */
export function isSecretRequired(key: string, raw: RawConfig): boolean {
  const spec = SECRET_KEYS[key];
  if (spec.optional) return false;
  const when = spec.requiredWhen;
  if (!when) return true;
  const value = qualify(when.key) in raw ? raw[qualify(when.key)] : CONFIG_KEYS[when.key].default;
  if ("equals" in when) return value === when.equals;
  let list = value;
  if (typeof list === "string") {
    try {
      list = JSON.parse(list);
    } catch {
      return true; // not a list: the key's own check reports it
    }
  }
  return !Array.isArray(list) || list.length > 0;
}

function checkGithubLogin(login: string): string | undefined {
  return login.includes("/") ? "must be a GitHub user login" : checkGithubReviewer(login);
}

/** Unknown keys (with a suggestion), flattened objects, and secrets stored in plain text. */
function checkKeys(
  r: ConfigReader,
  raw: RawConfig,
  stack: string,
  secretKeys: ReadonlySet<string>,
): void {
  const known = [...Object.keys(CONFIG_KEYS), ...Object.keys(SECRET_KEYS)];
  for (const qualified of Object.keys(raw)) {
    if (!qualified.startsWith(`${NAMESPACE}:`)) continue;
    const key = qualified.slice(NAMESPACE.length + 1);
    const isSecret = secretKeys.has(qualified);
    const got = isSecret ? "[secret]" : raw[qualified];
    if (key in SECRET_KEYS) {
      if (raw[qualified] === "") {
        r.fail(key, `must not be empty: pulumi config set --secret --stack ${stack} ${key}`);
      } else if (!isSecret) {
        r.fail(
          key,
          `must be stored encrypted: pulumi config set --secret --stack ${stack} ${key}`,
          "[plain text]",
        );
      }
      continue;
    }
    if (key in CONFIG_KEYS) continue;
    const nested = known.filter((k) => k.startsWith(`${key}.`));
    if (nested.length > 0) {
      const examples = nested.slice(0, 2).map(qualify).join(", ");
      r.fail(
        key,
        `is not a key: set each of its keys (${examples}, ...) on its own, without --path`,
        got,
      );
      continue;
    }
    const near = suggest(key, known);
    r.fail(
      key,
      near
        ? `unknown key; did you mean ${qualify(near)}?`
        : "unknown key; see the configuration reference in README.md",
      got,
    );
  }
}

/** The one error message: every problem, then the commands that set each missing secret. */
export function describeProblems(
  stack: string,
  problems: readonly string[],
  missingSecrets: readonly string[],
): string {
  const count = problems.length + missingSecrets.length;
  const lines = [
    `Configuration of stack "${stack}" has ${count} problem${count === 1 ? "" : "s"}:`,
  ];
  for (const p of problems) lines.push(`  ${p}`);
  for (const k of missingSecrets)
    lines.push(`  ${qualify(k)}: required secret is not set: ${SECRET_KEYS[k].description}`);
  if (missingSecrets.length > 0) {
    lines.push(
      "Set the missing secrets; each command prompts for the value, which keeps it out of your shell history:",
    );
    for (const k of missingSecrets)
      lines.push(`  pulumi config set --secret --stack ${stack} ${k}`);
  }
  return lines.join("\n");
}
