// The single typed configuration of the program: a pure `parse()` that validates every key and
// reports every problem at once. `load.ts` feeds it from the Pulumi engine.
import * as pulumi from "@pulumi/pulumi";
import { ConfigReader, formatProblem } from "./reader";
import {
  CONFIG_KEYS,
  GLACIER_STORAGE_CLASSES,
  NAMESPACE,
  NAT_MODES,
  OBJECT_LOCK_MODES,
  REGION_KEY,
  SECRET_KEYS,
  qualify,
} from "./schema";
import * as rules from "./rules";
import { checkScheduleExpression, checkTimezone } from "./schedule-expression";
import { checkRetention } from "../components/backup-retention";
import { worstCaseRpoHours } from "../components/schedule-rpo";

export type GlacierStorageClass = (typeof GLACIER_STORAGE_CLASSES)[number];
export type ObjectLockMode = Exclude<(typeof OBJECT_LOCK_MODES)[number], "none">;
export type NatMode = (typeof NAT_MODES)[number];

export interface ImageRef {
  readonly repository: string;
  readonly tag: string;
}

export interface BackupConfig {
  readonly prefix: string;
  readonly retentionDays: number;
  readonly transitionToInfrequentAccessDays?: number;
  readonly transitionToGlacierDays?: number;
  readonly glacierStorageClass: GlacierStorageClass;
  readonly noncurrentVersionDays: number;
  readonly objectLock?: { readonly mode: ObjectLockMode; readonly days: number };
  readonly kmsKeyDeletionWindowDays: number;
  readonly schedules: readonly string[];
  readonly timezone: string;
  readonly image: ImageRef;
  readonly cpu: number;
  readonly memory: number;
}

export interface StackConfig {
  readonly stack: string;
  readonly region: string;
  readonly protectStatefulResources: boolean;
  readonly backup: BackupConfig;
  readonly api: { readonly image: ImageRef };
  readonly network: {
    readonly vpcCidr: string;
    readonly natMode: NatMode;
    readonly azCount: number;
  };
  readonly github: {
    readonly repositories: readonly string[];
    readonly requiredReviewers: readonly string[];
  };
}

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
  const stackProblem = rules.checkStackName(stack);
  if (stackProblem) r.fail("stack name", stackProblem, stack);

  const region = raw[REGION_KEY];
  if (region === undefined) {
    r.fail(REGION_KEY, "is required: pulumi config set aws:region sa-east-1");
  } else {
    const problem = typeof region === "string" ? rules.checkAwsRegion(region) : "must be a string";
    if (problem) r.fail(REGION_KEY, problem, region);
  }
  checkKeys(r, raw, stack, secretKeys);
  const missingSecrets = Object.keys(SECRET_KEYS).filter((k) => !(qualify(k) in raw));

  const backup = readBackup(r);
  const config = {
    stack,
    region: region as string,
    protectStatefulResources: r.boolean("protectStatefulResources"),
    backup,
    api: { image: readImage(r, "api") },
    network: {
      vpcCidr: r.string("network.vpcCidr", rules.checkVpcCidr),
      natMode: r.oneOf("network.natMode", NAT_MODES),
      azCount: r.integer("network.azCount", 2, 6),
    },
    github: {
      repositories: r.list("github.repositories", rules.checkGithubRepository),
      requiredReviewers: r.list("github.requiredReviewers", rules.checkGithubReviewer),
    },
  };

  if (r.problems.length > 0 || missingSecrets.length > 0) {
    throw new pulumi.RunError(
      describeProblems(stack, r.problems.map(formatProblem), missingSecrets),
    );
  }
  return config as StackConfig;
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
    const near = rules.suggest(key, known);
    r.fail(
      key,
      near
        ? `unknown key; did you mean ${qualify(near)}?`
        : "unknown key; see the configuration reference in README.md",
      got,
    );
  }
}

function readBackup(r: ConfigReader): BackupConfig {
  const retentionDays = r.integer("backup.retentionDays", 1);
  const iaDays = r.integer("backup.transitionToInfrequentAccessDays", 0);
  const glacierDays = r.integer("backup.transitionToGlacierDays", 0);
  const lockMode = r.oneOf("backup.objectLockMode", OBJECT_LOCK_MODES);
  const lockDays = r.integer("backup.objectLockDays", 0);
  const cpu = r.integer("backup.cpu", 256, 16384);
  const memory = r.integer("backup.memory", 512, 122880);

  if (lockMode === "none" && lockDays) {
    r.fail(
      "backup.objectLockDays",
      "must be 0 when backup.objectLockMode is none (or set backup.objectLockMode)",
      lockDays,
    );
  }
  // 0 turns a transition off.
  const transitionToInfrequentAccessDays = iaDays || undefined;
  const transitionToGlacierDays = glacierDays || undefined;
  const objectLock =
    lockMode && lockMode !== "none" && lockDays !== undefined
      ? { mode: lockMode, days: lockDays }
      : undefined;
  if (retentionDays !== undefined && iaDays !== undefined && glacierDays !== undefined) {
    const settings = {
      retentionDays,
      transitionToInfrequentAccessDays,
      transitionToGlacierDays,
      objectLockDays: objectLock?.days,
    };
    for (const p of checkRetention(settings, (field) => `backup.${field}`)) {
      r.fail(`backup.${p.field}`, p.rule, p.got);
    }
  }
  if (cpu !== undefined && memory !== undefined) {
    const problem = rules.checkFargateSize(cpu, memory);
    if (problem) {
      r.fail(`backup.${problem.field}`, problem.rule, problem.field === "cpu" ? cpu : memory);
    }
  }

  const schedules = r.list("backup.schedules", checkScheduleExpression, { minItems: 1 });
  const timezone = r.string("backup.timezone", checkTimezone);
  if (schedules && timezone) {
    try {
      worstCaseRpoHours(schedules, timezone);
    } catch (err) {
      r.fail(
        "backup.schedules",
        `must run at least twice a year: ${(err as Error).message}`,
        schedules,
      );
    }
  }

  return {
    prefix: r.string("backup.prefix", rules.checkKeyPrefix) as string,
    retentionDays: retentionDays as number,
    transitionToInfrequentAccessDays,
    transitionToGlacierDays,
    glacierStorageClass: r.oneOf(
      "backup.glacierStorageClass",
      GLACIER_STORAGE_CLASSES,
    ) as GlacierStorageClass,
    noncurrentVersionDays: r.integer("backup.noncurrentVersionDays", 1) as number,
    objectLock,
    kmsKeyDeletionWindowDays: r.integer("backup.kmsKeyDeletionWindowDays", 7, 30) as number,
    schedules: schedules as string[],
    timezone: timezone as string,
    image: readImage(r, "backup"),
    cpu: cpu as number,
    memory: memory as number,
  };
}

function readImage(r: ConfigReader, group: string): ImageRef {
  return {
    repository: r.string(`${group}.image`, rules.checkGhcrRepository) as string,
    tag: r.string(`${group}.imageTag`, rules.checkImageTag) as string,
  };
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
