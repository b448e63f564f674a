// The declared configuration of the `gad` project: every key, its type, default and meaning.
//
// This table is the single source of truth. `Pulumi.yaml` declares the same keys (a test keeps
// the two equal), the README's configuration reference is generated from it
// (`npm run docs:config`), and `parse()` rejects any `gad:` key that is not listed here.

import {
  DEFAULT_AZ_COUNT,
  DEFAULT_DATABASE_ALLOCATED_STORAGE_GIB,
  DEFAULT_DATABASE_APP_CREDENTIAL_GENERATION,
  DEFAULT_DATABASE_BACKUP_RETENTION_DAYS,
  DEFAULT_DATABASE_DELETION_PROTECTION,
  DEFAULT_DATABASE_ENGINE_VERSION,
  DEFAULT_DATABASE_FINAL_SNAPSHOT,
  DEFAULT_DATABASE_INSTANCE_CLASS,
  DEFAULT_DATABASE_MAX_ALLOCATED_STORAGE_GIB,
  DEFAULT_DATABASE_MODE,
  DEFAULT_DATABASE_MULTI_AZ,
  DEFAULT_DATABASE_NAME,
  DEFAULT_DATABASE_PERFORMANCE_INSIGHTS,
  DEFAULT_DATABASE_PORT,
  DEFAULT_DATABASE_USERNAME,
  DEFAULT_GHCR_USERNAME,
  DEFAULT_NAT_MODE,
  DEFAULT_NETWORK_FLOW_LOGS,
  DEFAULT_NETWORK_FLOW_LOG_RETENTION_DAYS,
  DEFAULT_PROTECT_STATEFUL_RESOURCES,
  DEFAULT_SERVICES,
  DEFAULT_VPC_CIDR,
} from "../rules/defaults";
import { BACKUP_KEYS } from "./backup-keys";
import { GITHUB_KEYS } from "./github-keys";
import { SERVICE_KEYS } from "./service-keys";

export * from "../rules/defaults";

/** The Pulumi config namespace of this project (the project name in `Pulumi.yaml`). */
export const NAMESPACE = "gad";

/** The AWS provider's region key; required in every stack file. */
export const REGION_KEY = "aws:region";

export type ConfigType = "string" | "integer" | "boolean" | "array" | "object";
export type ConfigValue =
  string | number | boolean | readonly string[] | Readonly<Record<string, unknown>>;

export interface ConfigKeySpec {
  readonly type: ConfigType;
  readonly description: string;
  readonly default: ConfigValue;
}

/** When a secret is needed: another key equals a value, or (a list) is not empty. */
export type SecretCondition =
  | { readonly key: string; readonly equals: ConfigValue }
  | { readonly key: string; readonly nonEmpty: true };

/** "gad:database.mode is external", "gad:github.repositories is not empty". */
export function describeCondition(when: SecretCondition): string {
  return "equals" in when
    ? `${qualify(when.key)} is ${String(when.equals)}`
    : `${qualify(when.key)} is not empty`;
}

export interface SecretKeySpec {
  readonly description: string;
  /** Given the other settings, whether the secret must be set. @default always */
  readonly requiredWhen?: SecretCondition;
  /** Needed only when a service's `secrets` names it. @default false */
  readonly optional?: boolean;
}

/** Every non-secret key of the `gad` namespace, without the namespace. */
export const CONFIG_KEYS: Readonly<Record<string, ConfigKeySpec>> = {
  protectStatefulResources: {
    type: "boolean",
    default: DEFAULT_PROTECT_STATEFUL_RESOURCES,
    description:
      "Protect stateful resources (backup bucket, KMS keys, database) from deletion: Pulumi `protect` and `retainOnDelete`. Set true in production.",
  },
  ...BACKUP_KEYS,
  "database.mode": {
    type: "string",
    default: DEFAULT_DATABASE_MODE,
    description:
      "rds (an RDS PostgreSQL instance in the private subnets) or external (a database outside this stack; set the `databaseUrl` secret).",
  },
  "database.name": {
    type: "string",
    default: DEFAULT_DATABASE_NAME,
    description: "Name of the application's database (the backups' `database` dimension).",
  },
  "database.username": {
    type: "string",
    default: DEFAULT_DATABASE_USERNAME,
    description:
      "RDS master user name; its password is generated and rotated by RDS in Secrets Manager.",
  },
  "database.port": {
    type: "integer",
    default: DEFAULT_DATABASE_PORT,
    description: "Port of the database (RDS listener, or the external database's port).",
  },
  "database.engineVersion": {
    type: "string",
    default: DEFAULT_DATABASE_ENGINE_VERSION,
    description:
      "PostgreSQL major version (RDS applies minor upgrades); the application needs 15 or later with PostGIS.",
  },
  "database.instanceClass": {
    type: "string",
    default: DEFAULT_DATABASE_INSTANCE_CLASS,
    description: "RDS instance class, for example db.t4g.small or db.m7g.large.",
  },
  "database.allocatedStorageGiB": {
    type: "integer",
    default: DEFAULT_DATABASE_ALLOCATED_STORAGE_GIB,
    description: "Initial gp3 storage of the RDS instance in GiB (20-65536).",
  },
  "database.maxAllocatedStorageGiB": {
    type: "integer",
    default: DEFAULT_DATABASE_MAX_ALLOCATED_STORAGE_GIB,
    description:
      "Storage autoscaling limit in GiB; at least `database.allocatedStorageGiB` (equal turns autoscaling off).",
  },
  "database.backupRetentionDays": {
    type: "integer",
    default: DEFAULT_DATABASE_BACKUP_RETENTION_DAYS,
    description:
      "Days of RDS automated backups, the point-in-time recovery window (1-35), alongside the dumps in S3.",
  },
  "database.appCredentialGeneration": {
    type: "integer",
    default: DEFAULT_DATABASE_APP_CREDENTIAL_GENERATION,
    description:
      "RDS: the application's database credential generation. Bump it to rotate: the next `pulumi up` gives the other of the application's two login users a new password and rolls the services; the previous user keeps working until the rotation after.",
  },
  "database.multiAz": {
    type: "boolean",
    default: DEFAULT_DATABASE_MULTI_AZ,
    description: "A synchronous standby in a second AZ with automatic failover.",
  },
  "database.deletionProtection": {
    type: "boolean",
    default: DEFAULT_DATABASE_DELETION_PROTECTION,
    description: "RDS deletion protection: the instance cannot be deleted until it is turned off.",
  },
  "database.finalSnapshot": {
    type: "boolean",
    default: DEFAULT_DATABASE_FINAL_SNAPSHOT,
    description: "Take a final snapshot when the instance is deleted.",
  },
  "database.performanceInsights": {
    type: "boolean",
    default: DEFAULT_DATABASE_PERFORMANCE_INSIGHTS,
    description: "Performance Insights (7 days, free tier), encrypted with the database's key.",
  },
  "ghcr.username": {
    type: "string",
    default: DEFAULT_GHCR_USERNAME,
    description:
      "GitHub user that owns `ghcrToken`; used with it to resolve digests and to pull images.",
  },
  ...SERVICE_KEYS,
  services: {
    type: "object",
    default: DEFAULT_SERVICES,
    description:
      "The Fargate services, by name: image, imageTag, port, command, environment, secrets, database, cpu, memory, desiredCount, minCount, maxCount, cpuTarget, requestsPerTarget, healthPath, public, spot, writablePaths, execCommand (see README). Set the whole map in the stack file, or one field with `pulumi config set --path services.api.imageTag 1.2.3`.",
  },
  "network.vpcCidr": {
    type: "string",
    default: DEFAULT_VPC_CIDR,
    description: "IPv4 CIDR of the VPC: a private range, prefix /16 to /24.",
  },
  "network.natMode": {
    type: "string",
    default: DEFAULT_NAT_MODE,
    description:
      "NAT for private subnets: none (tasks in public subnets with public IPs), single (one gateway) or perAz (one per AZ).",
  },
  "network.azCount": {
    type: "integer",
    default: DEFAULT_AZ_COUNT,
    description: "Number of availability zones (2-6).",
  },
  "network.flowLogs": {
    type: "boolean",
    default: DEFAULT_NETWORK_FLOW_LOGS,
    description: "Record VPC flow logs (all traffic) to CloudWatch Logs.",
  },
  "network.flowLogRetentionDays": {
    type: "integer",
    default: DEFAULT_NETWORK_FLOW_LOG_RETENTION_DAYS,
    description: "Days VPC flow logs are kept (a CloudWatch Logs retention period).",
  },
  ...GITHUB_KEYS,
};

/** Secret keys: set with `pulumi config set --secret`, never committed in plain text. */
export const SECRET_KEYS: Readonly<Record<string, SecretKeySpec>> = {
  ghcrToken: {
    description:
      "GitHub token with `read:packages`, used to resolve image digests and by ECS to pull private GHCR images.",
  },
  appSecretKey: {
    description:
      "The application's SECRET_KEY (a long random string, e.g. `openssl rand -hex 32`).",
  },
  redisUrl: {
    description:
      "The application's REDIS_URL (optional): set it, and name it in a service's secrets, to give that service Redis.",
    optional: true,
  },
  githubToken: {
    description:
      "GitHub token that manages the repositories' environments (fine-grained: Administration, Environments, Secrets, Variables read/write; Members read for team reviewers).",
    requiredWhen: { key: "github.repositories", nonEmpty: true },
  },
  chatWebhookUrl: {
    description:
      "Optional chat webhook (Slack, Discord, Teams) written as the CHAT_WEBHOOK_URL secret of each GitHub environment, for the workflows' notifications.",
    optional: true,
  },
  databaseUrl: {
    description:
      "With `database.mode: external`: the database's URL, postgresql://user:password@host:port/database (stored in Secrets Manager for the tasks).",
    requiredWhen: { key: "database.mode", equals: "external" },
  },
};

/** Secret keys a service may receive through its `secrets` map. */
/** `gad:backup.retentionDays` from `backup.retentionDays`. */
export function qualify(key: string): string {
  return key.includes(":") ? key : `${NAMESPACE}:${key}`;
}
