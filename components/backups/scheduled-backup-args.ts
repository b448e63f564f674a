// Inputs of the ScheduledBackup component and their checks.
import * as pulumi from "@pulumi/pulumi";
import type { ClusterRef } from "../platform/cluster";
import type { NetworkRef } from "../platform/network";
import type { AlarmTopicRef } from "../platform/alarm-topic";
import { checkFargateSize } from "../../rules/fargate";
import { checkLogRetentionDays } from "../../rules/log-retention";
import { checkKeyPrefix } from "../../rules/names";
import { checkScheduleExpression, checkTimezone } from "../../rules/schedule-expression";
import type { TaskSize } from "../../rules/types";
import type { Database } from "../platform/database";
import { DEFAULT_BACKUP_TIMEZONE, DEFAULT_DRILL_SCHEDULE } from "../../rules/defaults";
import { MAX_ALARM_WINDOW_HOURS, freshnessWindow } from "../../rules/backup-timing";

export interface JobTaskArgs extends TaskSize {
  /** The job gives up (and cleans up) after this long. */
  readonly timeoutMinutes: number;
}

export interface BackupTaskArgs extends JobTaskArgs {
  /** EventBridge Scheduler expressions that start a backup (at least one). */
  readonly schedules: readonly string[];
  /** IANA time zone of every schedule, the drill's too. @default DEFAULT_BACKUP_TIMEZONE ("UTC") */
  readonly timezone?: string;
  /** Run backups and drills on FARGATE_SPOT. @default false */
  readonly spot?: boolean;
  /** @default DEFAULT_BACKUP_LOG_RETENTION_DAYS (90) */
  readonly logRetentionDays?: number;
}

export interface DrillTaskArgs extends JobTaskArgs {
  /**
   * EventBridge Scheduler expression of the drill, in the backups' time zone.
   * @default DEFAULT_DRILL_SCHEDULE ("cron(0 4 ? * SUN *)")
   */
  readonly schedule?: string;
  /** Query that must return a row in the restored database. @default the job's own */
  readonly sanitySql?: string;
}

/** What the tasks need of the backup bucket (a BackupBucket). */
export interface BucketRef {
  readonly bucketName: pulumi.Input<string>;
  readonly bucketArn: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Key prefix of the backups (the lifecycle rule's). */
  readonly backupPrefix: string;
}

/** The images the tasks run, each `repository@sha256:...` (see Registry.pin). */
export interface TaskImages {
  /** The backup job (backup/Dockerfile), for backups and drills. */
  readonly job: pulumi.Input<string>;
  /** The drill's scratch PostgreSQL with PostGIS, of the database's major version. */
  readonly drillDatabase: pulumi.Input<string>;
}

export interface ScheduledBackupArgs {
  /** Stack name: the `stack` metric dimension and part of messages. */
  readonly stack: string;
  readonly region: string;
  readonly bucket: BucketRef;
  readonly network: NetworkRef;
  readonly cluster: Pick<ClusterRef, "clusterArn">;
  readonly images: TaskImages;
  /** Secrets Manager secret with the GHCR pull credentials (ECS repositoryCredentials). */
  readonly registryCredentialsArn: pulumi.Input<string>;
  /** The database backed up; its security group admits the backup tasks. */
  readonly database: Database;
  readonly backup: BackupTaskArgs;
  readonly drill: DrillTaskArgs;
  /** The stack's alarm topic: failed runs, stale backups and dead letters are reported there. */
  readonly alarmTopic: AlarmTopicRef;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** Every problem with the plain inputs, each naming the argument. */
export function scheduledBackupProblems(args: ScheduledBackupArgs): string[] {
  const problems: string[] = [];
  const show = (v: unknown) => JSON.stringify(v);
  if (args.backup.schedules.length === 0) {
    problems.push(
      "backup.schedules must list at least one expression: a backup that never runs protects nothing",
    );
  }
  args.backup.schedules.forEach((expression, i) => {
    const problem = checkScheduleExpression(expression);
    if (problem) problems.push(`backup.schedules[${i}] ${problem} (got ${show(expression)})`);
  });
  const drillProblem = args.drill.schedule && checkScheduleExpression(args.drill.schedule);
  if (drillProblem)
    problems.push(`drill.schedule ${drillProblem} (got ${show(args.drill.schedule)})`);
  const tzProblem = args.backup.timezone && checkTimezone(args.backup.timezone);
  if (tzProblem) problems.push(`backup.timezone ${tzProblem} (got ${show(args.backup.timezone)})`);
  const prefixProblem = checkKeyPrefix(args.bucket.backupPrefix);
  if (prefixProblem)
    problems.push(`bucket.backupPrefix ${prefixProblem} (got ${show(args.bucket.backupPrefix)})`);
  for (const [field, size] of [
    ["backup", args.backup],
    ["drill", args.drill],
  ] as const) {
    const sizeProblem = checkFargateSize(size.cpu, size.memory);
    if (sizeProblem) {
      problems.push(
        `${field}.${sizeProblem.field} ${sizeProblem.rule} (got ${size[sizeProblem.field]})`,
      );
    }
    if (!(size.ephemeralStorageGiB >= 21 && size.ephemeralStorageGiB <= 200)) {
      problems.push(
        `${field}.ephemeralStorageGiB must be from 21 to 200 (got ${size.ephemeralStorageGiB})`,
      );
    }
  }
  const retention = args.backup.logRetentionDays;
  const retentionProblem = retention === undefined ? undefined : checkLogRetentionDays(retention);
  if (retentionProblem)
    problems.push(`backup.logRetentionDays ${retentionProblem} (got ${retention})`);
  if (problems.length === 0) {
    const timezone = args.backup.timezone ?? DEFAULT_BACKUP_TIMEZONE;
    try {
      const window = freshnessWindow(args.backup.schedules, timezone, args.backup.timeoutMinutes);
      if (!window.alarmable) {
        problems.push(
          `backup.schedules leave up to ${window.rpoHours} h between backups: the freshness alarm would need ${window.hours} h, more than CloudWatch evaluates (${MAX_ALARM_WINDOW_HOURS} h)`,
        );
      }
    } catch (err) {
      problems.push(`backup.schedules ${(err as Error).message}`);
    }
    try {
      freshnessWindow([args.drill.schedule ?? DEFAULT_DRILL_SCHEDULE], timezone, 0);
    } catch (err) {
      problems.push(`drill.schedule ${(err as Error).message}`);
    }
  }
  return problems;
}
