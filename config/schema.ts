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
  /** Given the other settings, whether the secret must be set. @default always */
  readonly requiredWhen?: { readonly key: string; readonly equals: ConfigValue };
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
export const DEFAULT_BACKUP_EPHEMERAL_STORAGE_GIB = 21;
export const DEFAULT_BACKUP_TIMEOUT_MINUTES = 120;
export const DEFAULT_BACKUP_LOG_RETENTION_DAYS = 90;
export const DEFAULT_BACKUP_SPOT = false;
/** Sundays at 04:00, between the default backups and away from the RDS backup window. */
export const DEFAULT_DRILL_SCHEDULE = "cron(0 4 ? * SUN *)";
export const DEFAULT_DRILL_CPU = 1024;
export const DEFAULT_DRILL_MEMORY = 4096;
export const DEFAULT_DRILL_EPHEMERAL_STORAGE_GIB = 50;
export const DEFAULT_DRILL_TIMEOUT_MINUTES = 180;
/** The application's schema version: a restore without it is not the application's database. */
export const DEFAULT_DRILL_SANITY_SQL = "SELECT version_num FROM alembic_version";
export const DEFAULT_DRILL_DATABASE_IMAGE = "postgis/postgis";
export const DEFAULT_DRILL_DATABASE_IMAGE_TAG = "15-3.5";
export const DEFAULT_ALARM_EMAILS: readonly string[] = [];
export const DEFAULT_DATABASE_MODE = "rds";
export const DEFAULT_DATABASE_NAME = "grupogad";
export const DEFAULT_DATABASE_USERNAME = "gad";
export const DEFAULT_DATABASE_PORT = 5432;
export const DEFAULT_DATABASE_ENGINE_VERSION = "15";
export const DEFAULT_DATABASE_INSTANCE_CLASS = "db.t4g.small";
export const DEFAULT_DATABASE_ALLOCATED_STORAGE_GIB = 20;
export const DEFAULT_DATABASE_MAX_ALLOCATED_STORAGE_GIB = 100;
export const DEFAULT_DATABASE_BACKUP_RETENTION_DAYS = 7;
export const DEFAULT_DATABASE_MULTI_AZ = false;
export const DEFAULT_DATABASE_DELETION_PROTECTION = false;
export const DEFAULT_DATABASE_FINAL_SNAPSHOT = false;
export const DEFAULT_DATABASE_PERFORMANCE_INSIGHTS = true;
export const DEFAULT_GHCR_USERNAME = "eevans-d";
export const DEFAULT_NETWORK_FLOW_LOGS = false;
export const DEFAULT_NETWORK_FLOW_LOG_RETENTION_DAYS = 30;
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
export const DATABASE_MODES = ["rds", "external"] as const;

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
  "backup.ephemeralStorageGiB": {
    type: "integer",
    default: DEFAULT_BACKUP_EPHEMERAL_STORAGE_GIB,
    description:
      "Fargate ephemeral storage (GiB, 21-200) of the backup task; a backup streams to S3 and needs little.",
  },
  "backup.timeoutMinutes": {
    type: "integer",
    default: DEFAULT_BACKUP_TIMEOUT_MINUTES,
    description:
      "A backup that has not finished after this long is aborted (nothing is left that looks like a backup). Part of the freshness alarm's grace.",
  },
  "backup.logRetentionDays": {
    type: "integer",
    default: DEFAULT_BACKUP_LOG_RETENTION_DAYS,
    description:
      "Days the backup and drill task logs are kept (a CloudWatch Logs retention period: 1, 3, 5, 7, 14, 30, 60, 90, ...).",
  },
  "backup.spot": {
    type: "boolean",
    default: DEFAULT_BACKUP_SPOT,
    description:
      "Run backups and drills on FARGATE_SPOT (cheaper, may be interrupted: an interrupted run fails and alarms; the next run starts afresh).",
  },
  "drill.schedule": {
    type: "string",
    default: DEFAULT_DRILL_SCHEDULE,
    description:
      "EventBridge Scheduler expression of the restore drill (in `backup.timezone`): restore the latest backup into a scratch PostgreSQL and check it.",
  },
  "drill.cpu": {
    type: "integer",
    default: DEFAULT_DRILL_CPU,
    description:
      "Fargate CPU units of the drill task (shared by the job and its scratch PostgreSQL).",
  },
  "drill.memory": {
    type: "integer",
    default: DEFAULT_DRILL_MEMORY,
    description: "Fargate memory (MiB) of the drill task; must be valid for `drill.cpu`.",
  },
  "drill.ephemeralStorageGiB": {
    type: "integer",
    default: DEFAULT_DRILL_EPHEMERAL_STORAGE_GIB,
    description:
      "Fargate ephemeral storage (GiB, 21-200) of the drill task: it holds the downloaded dump and the restored database (several times the dump's size).",
  },
  "drill.timeoutMinutes": {
    type: "integer",
    default: DEFAULT_DRILL_TIMEOUT_MINUTES,
    description: "A drill that has not finished after this long fails (and alarms).",
  },
  "drill.sanitySql": {
    type: "string",
    default: DEFAULT_DRILL_SANITY_SQL,
    description:
      "Query that must succeed and return a row in the restored database for the drill to pass.",
  },
  "drill.databaseImage": {
    type: "string",
    default: DEFAULT_DRILL_DATABASE_IMAGE,
    description:
      "Image of the drill's scratch PostgreSQL (with PostGIS, which the application's dumps need), without tag; pinned by digest.",
  },
  "drill.databaseImageTag": {
    type: "string",
    default: DEFAULT_DRILL_DATABASE_IMAGE_TAG,
    description:
      "Tag of the scratch PostgreSQL image; its major version must be `database.engineVersion` (e.g. 15-3.5).",
  },
  "alarms.emails": {
    type: "array",
    default: DEFAULT_ALARM_EMAILS,
    description:
      "E-mail addresses subscribed to the stack's alarm topic (failed or missing backups and drills, undelivered schedules). Each must confirm the subscription AWS sends.",
  },
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
  databaseUrl: {
    description:
      "With `database.mode: external`: the database's URL, postgresql://user:password@host:port/database (stored in Secrets Manager for the tasks).",
    requiredWhen: { key: "database.mode", equals: "external" },
  },
};

/** `gad:backup.retentionDays` from `backup.retentionDays`. */
export function qualify(key: string): string {
  return key.includes(":") ? key : `${NAMESPACE}:${key}`;
}
