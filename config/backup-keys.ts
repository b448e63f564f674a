// The keys of the scheduled backups: the bucket (`backup.*`), the restore drill (`drill.*`) and
// who is told when either fails (`alarms.*`). Part of CONFIG_KEYS (schema.ts).
import type { ConfigKeySpec } from "./schema";
import {
  DEFAULT_ALARM_EMAILS,
  DEFAULT_BACKUP_CPU,
  DEFAULT_BACKUP_EPHEMERAL_STORAGE_GIB,
  DEFAULT_BACKUP_GLACIER_STORAGE_CLASS,
  DEFAULT_BACKUP_IMAGE,
  DEFAULT_BACKUP_IMAGE_TAG,
  DEFAULT_BACKUP_LOG_RETENTION_DAYS,
  DEFAULT_BACKUP_MEMORY,
  DEFAULT_BACKUP_NONCURRENT_VERSION_DAYS,
  DEFAULT_BACKUP_OBJECT_LOCK_DAYS,
  DEFAULT_BACKUP_OBJECT_LOCK_MODE,
  DEFAULT_BACKUP_PREFIX,
  DEFAULT_BACKUP_RETENTION_DAYS,
  DEFAULT_BACKUP_SCHEDULES,
  DEFAULT_BACKUP_SPOT,
  DEFAULT_BACKUP_TIMEOUT_MINUTES,
  DEFAULT_BACKUP_TIMEZONE,
  DEFAULT_BACKUP_TRANSITION_TO_GLACIER_DAYS,
  DEFAULT_BACKUP_TRANSITION_TO_IA_DAYS,
  DEFAULT_DRILL_CPU,
  DEFAULT_DRILL_DATABASE_IMAGE,
  DEFAULT_DRILL_DATABASE_IMAGE_TAG,
  DEFAULT_DRILL_EPHEMERAL_STORAGE_GIB,
  DEFAULT_DRILL_MEMORY,
  DEFAULT_DRILL_SANITY_SQL,
  DEFAULT_DRILL_SCHEDULE,
  DEFAULT_DRILL_TIMEOUT_MINUTES,
  DEFAULT_KMS_KEY_DELETION_WINDOW_DAYS,
} from "../rules/defaults";

export const BACKUP_KEYS: Readonly<Record<string, ConfigKeySpec>> = {
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
};
