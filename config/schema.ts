// The declared configuration of the `gad` project: every key, its type, default and meaning.
//
// This table is the single source of truth. `Pulumi.yaml` declares the same keys (a test keeps
// the two equal), the README's configuration reference is generated from it
// (`npm run docs:config`), and `parse()` rejects any `gad:` key that is not listed here.

/** The Pulumi config namespace of this project (the project name in `Pulumi.yaml`). */
export const NAMESPACE = "gad";

/** The AWS provider's region key; required in every stack file. */
export const REGION_KEY = "aws:region";

export type ConfigType = "string" | "integer" | "boolean" | "array";
export type ConfigValue = string | number | boolean | readonly string[];

export interface ConfigKeySpec {
  readonly type: ConfigType;
  readonly description: string;
  readonly default: ConfigValue;
}

export interface SecretKeySpec {
  readonly description: string;
}

export const DEFAULT_PROTECT_STATEFUL_RESOURCES = false;
export const DEFAULT_BACKUP_PREFIX = "backups";
export const DEFAULT_BACKUP_RETENTION_DAYS = 30;
/** 0 disables the transition. */
export const DEFAULT_BACKUP_TRANSITION_TO_IA_DAYS = 0;
/** 0 disables the transition. */
export const DEFAULT_BACKUP_TRANSITION_TO_GLACIER_DAYS = 0;
export const DEFAULT_BACKUP_GLACIER_STORAGE_CLASS = "GLACIER_IR";
export const DEFAULT_BACKUP_NONCURRENT_VERSION_DAYS = 7;
export const DEFAULT_BACKUP_OBJECT_LOCK_MODE = "none";
export const DEFAULT_BACKUP_OBJECT_LOCK_DAYS = 0;
export const DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS = 30;
/** 01:00 and 13:30, the application team's backup times. */
export const DEFAULT_BACKUP_SCHEDULES: readonly string[] = [
  "cron(0 1 * * ? *)",
  "cron(30 13 * * ? *)",
];
export const DEFAULT_BACKUP_TIMEZONE = "UTC";
export const DEFAULT_BACKUP_IMAGE = "ghcr.io/eevans-d/gad-infra/backup";
export const DEFAULT_BACKUP_IMAGE_TAG = "latest";
export const DEFAULT_BACKUP_CPU = 1024;
export const DEFAULT_BACKUP_MEMORY = 2048;
export const DEFAULT_API_IMAGE = "ghcr.io/eevans-d/grupo_gad/api";
export const DEFAULT_API_IMAGE_TAG = "master";
export const DEFAULT_VPC_CIDR = "10.40.0.0/16";
export const DEFAULT_NAT_MODE = "single";
export const DEFAULT_AZ_COUNT = 2;
export const DEFAULT_GITHUB_REPOSITORIES: readonly string[] = [
  "eevans-d/GRUPO_GAD",
  "eevans-d/gad-infra",
];
export const DEFAULT_GITHUB_REQUIRED_REVIEWERS: readonly string[] = [];

export const GLACIER_STORAGE_CLASSES = ["GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;
export const OBJECT_LOCK_MODES = ["none", "GOVERNANCE", "COMPLIANCE"] as const;
export const NAT_MODES = ["none", "single", "perAz"] as const;

/** Every non-secret key of the `gad` namespace, without the namespace. */
export const CONFIG_KEYS: Readonly<Record<string, ConfigKeySpec>> = {
  protectStatefulResources: {
    type: "boolean",
    default: DEFAULT_PROTECT_STATEFUL_RESOURCES,
    description:
      "Protect stateful resources (backup bucket, KMS keys, database) from deletion: Pulumi `protect` and `retainOnDelete`. Set true in production.",
  },
  "backup.prefix": {
    type: "string",
    default: DEFAULT_BACKUP_PREFIX,
    description:
      "Key prefix under which backups are written and retention applies (no leading or trailing slash).",
  },
  "backup.retentionDays": {
    type: "integer",
    default: DEFAULT_BACKUP_RETENTION_DAYS,
    description: "Days a backup is kept before it expires (lifecycle expiration).",
  },
  "backup.transitionToInfrequentAccessDays": {
    type: "integer",
    default: DEFAULT_BACKUP_TRANSITION_TO_IA_DAYS,
    description:
      "Days after which backups move to STANDARD_IA; 0 disables. At least 30 (an S3 rule) and before expiration.",
  },
  "backup.transitionToGlacierDays": {
    type: "integer",
    default: DEFAULT_BACKUP_TRANSITION_TO_GLACIER_DAYS,
    description:
      "Days after which backups move to `backup.glacierStorageClass`; 0 disables. Before expiration, and at least 30 days after the STANDARD_IA transition when both are set.",
  },
  "backup.glacierStorageClass": {
    type: "string",
    default: DEFAULT_BACKUP_GLACIER_STORAGE_CLASS,
    description:
      "Archive class of the Glacier transition: GLACIER_IR (millisecond restore), GLACIER or DEEP_ARCHIVE (hours to restore).",
  },
  "backup.noncurrentVersionDays": {
    type: "integer",
    default: DEFAULT_BACKUP_NONCURRENT_VERSION_DAYS,
    description:
      "Days a noncurrent (overwritten or deleted) object version is kept before it is removed.",
  },
  "backup.objectLockMode": {
    type: "string",
    default: DEFAULT_BACKUP_OBJECT_LOCK_MODE,
    description:
      "S3 Object Lock default retention: none, GOVERNANCE (removable with s3:BypassGovernanceRetention) or COMPLIANCE (nobody, not even root, can delete before it ends). Once enabled, Object Lock cannot be turned off for the bucket.",
  },
  "backup.objectLockDays": {
    type: "integer",
    default: DEFAULT_BACKUP_OBJECT_LOCK_DAYS,
    description:
      "Default Object Lock retention in days; required when `backup.objectLockMode` is set, at most `backup.retentionDays`.",
  },
  "backup.kmsKeyDeletionWindowDays": {
    type: "integer",
    default: DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS,
    description: "Waiting period (7-30 days) before a deleted backup KMS key is destroyed.",
  },
  "backup.schedules": {
    type: "array",
    default: DEFAULT_BACKUP_SCHEDULES,
    description:
      "EventBridge Scheduler expressions that start a backup: `cron(minutes hours day-of-month month day-of-week year)` or `rate(n unit)`.",
  },
  "backup.timezone": {
    type: "string",
    default: DEFAULT_BACKUP_TIMEZONE,
    description:
      "IANA time zone of `backup.schedules` (for example UTC or America/Argentina/Buenos_Aires).",
  },
  "backup.image": {
    type: "string",
    default: DEFAULT_BACKUP_IMAGE,
    description: "Repository of the backup job image on GHCR, lower case, without tag.",
  },
  "backup.imageTag": {
    type: "string",
    default: DEFAULT_BACKUP_IMAGE_TAG,
    description: "Tag of the backup job image; the program pins the digest it resolves to.",
  },
  "backup.cpu": {
    type: "integer",
    default: DEFAULT_BACKUP_CPU,
    description: "Fargate CPU units of the backup task (256, 512, 1024, 2048, 4096, 8192, 16384).",
  },
  "backup.memory": {
    type: "integer",
    default: DEFAULT_BACKUP_MEMORY,
    description: "Fargate memory (MiB) of the backup task; must be valid for `backup.cpu`.",
  },
  "api.image": {
    type: "string",
    default: DEFAULT_API_IMAGE,
    description: "Repository of the application's API image on GHCR, lower case, without tag.",
  },
  "api.imageTag": {
    type: "string",
    default: DEFAULT_API_IMAGE_TAG,
    description:
      "Tag of the API image (`master`, `master-<sha7>`, `latest` or `X.Y.Z`); the program pins the digest it resolves to.",
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
  "github.repositories": {
    type: "array",
    default: DEFAULT_GITHUB_REPOSITORIES,
    description:
      "Repositories (`owner/name`) that get an environment named after the stack: the application's and this one.",
  },
  "github.requiredReviewers": {
    type: "array",
    default: DEFAULT_GITHUB_REQUIRED_REVIEWERS,
    description:
      "Who must approve deployments to this stack's environment: user logins or teams as `org/team-slug`. Empty means no approval.",
  },
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
};

/** `gad:backup.retentionDays` from `backup.retentionDays`. */
export function qualify(key: string): string {
  return key.includes(":") ? key : `${NAMESPACE}:${key}`;
}
