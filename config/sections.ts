// Readers for each group of keys (`backup.*`, `drill.*`, `database.*`, `network.*`): typed values
// out, every problem into the shared ConfigReader. Relations between keys are checked here, by
// the same pure functions the components use.
import { ConfigReader } from "./reader";
import { DATABASE_MODES, GLACIER_STORAGE_CLASSES, NAT_MODES, OBJECT_LOCK_MODES } from "./schema";
import { checkVpcCidr } from "../rules/cidr";
import { checkFargateSize } from "../rules/fargate";
import { checkLogRetentionDays } from "../rules/log-retention";
import {
  checkGhcrRepository,
  checkImageRepository,
  checkImageTag,
  checkKeyPrefix,
  checkPostgresMajorVersion,
  checkRdsInstanceClass,
  checkSqlIdentifier,
} from "../rules/names";
import { checkScheduleExpression, checkTimezone } from "../rules/schedule-expression";
import { checkRetention } from "../rules/retention";
import { MAX_ALARM_WINDOW_HOURS, freshnessWindow, graceMinutes } from "../rules/backup-timing";
import type {
  BackupConfig,
  DatabaseConfig,
  DrillConfig,
  GlacierStorageClass,
  ImageRef,
  NetworkConfig,
  TaskSize,
} from "../rules/types";

export function readBackup(r: ConfigReader): BackupConfig {
  const retentionDays = r.integer("backup.retentionDays", 1);
  const iaDays = r.integer("backup.transitionToInfrequentAccessDays", 0);
  const glacierDays = r.integer("backup.transitionToGlacierDays", 0);
  const lockMode = r.oneOf("backup.objectLockMode", OBJECT_LOCK_MODES);
  const lockDays = r.integer("backup.objectLockDays", 0);

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

  const schedules = r.list("backup.schedules", checkScheduleExpression, { minItems: 1 });
  const timezone = r.string("backup.timezone", checkTimezone);
  const timeoutMinutes = r.integer("backup.timeoutMinutes", 5, 24 * 60);
  if (schedules && timezone && timeoutMinutes !== undefined) {
    checkFreshness(r, "backup.schedules", schedules, timezone, timeoutMinutes, true);
  }

  return {
    prefix: r.string("backup.prefix", checkKeyPrefix) as string,
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
    ...readTaskSize(r, "backup"),
    timeoutMinutes: timeoutMinutes as number,
    logRetentionDays: readLogRetention(r, "backup.logRetentionDays"),
    spot: r.boolean("backup.spot") as boolean,
  };
}

/** `timezone` is the backups' (drills share it); `databaseVersion` the engine's major version. */
export function readDrill(
  r: ConfigReader,
  timezone: string | undefined,
  databaseVersion: string | undefined,
): DrillConfig {
  const schedule = r.string("drill.schedule", checkScheduleExpression);
  const timeoutMinutes = r.integer("drill.timeoutMinutes", 5, 24 * 60);
  if (schedule && timezone && timeoutMinutes !== undefined) {
    checkFreshness(r, "drill.schedule", [schedule], timezone, timeoutMinutes, false);
  }
  const repository = r.string("drill.databaseImage", checkImageRepository);
  const tag = r.string("drill.databaseImageTag", checkImageTag);
  if (tag && databaseVersion && tag.split(/[.-]/)[0] !== databaseVersion) {
    r.fail(
      "drill.databaseImageTag",
      `must start with the database's major version ${databaseVersion} (database.engineVersion), e.g. ${databaseVersion}-3.5: a dump restores into the same major version`,
      tag,
    );
  }
  return {
    schedule: schedule as string,
    timeoutMinutes: timeoutMinutes as number,
    sanitySql: r.string("drill.sanitySql", (sql) =>
      sql.trim() ? undefined : "must be a query (or remove the key for the default)",
    ) as string,
    databaseImage: { repository: repository as string, tag: tag as string },
    ...readTaskSize(r, "drill"),
  };
}

export function readDatabase(r: ConfigReader): DatabaseConfig {
  const allocated = r.integer("database.allocatedStorageGiB", 20, 65536);
  const max = r.integer("database.maxAllocatedStorageGiB", 20, 65536);
  if (allocated !== undefined && max !== undefined && max < allocated) {
    r.fail(
      "database.maxAllocatedStorageGiB",
      `must be at least database.allocatedStorageGiB (${allocated}); equal turns storage autoscaling off`,
      max,
    );
  }
  return {
    mode: r.oneOf("database.mode", DATABASE_MODES) as DatabaseConfig["mode"],
    name: r.string("database.name", checkSqlIdentifier) as string,
    username: r.string("database.username", checkSqlIdentifier) as string,
    port: r.integer("database.port", 1024, 65535) as number,
    engineVersion: r.string("database.engineVersion", checkPostgresMajorVersion) as string,
    instanceClass: r.string("database.instanceClass", checkRdsInstanceClass) as string,
    allocatedStorageGiB: allocated as number,
    maxAllocatedStorageGiB: max as number,
    backupRetentionDays: r.integer("database.backupRetentionDays", 1, 35) as number,
    multiAz: r.boolean("database.multiAz") as boolean,
    appCredentialGeneration: r.integer("database.appCredentialGeneration", 1, 1_000_000) as number,
    deletionProtection: r.boolean("database.deletionProtection") as boolean,
    finalSnapshot: r.boolean("database.finalSnapshot") as boolean,
    performanceInsights: r.boolean("database.performanceInsights") as boolean,
  };
}

export function readNetwork(r: ConfigReader): NetworkConfig {
  return {
    vpcCidr: r.string("network.vpcCidr", checkVpcCidr) as string,
    natMode: r.oneOf("network.natMode", NAT_MODES) as NetworkConfig["natMode"],
    azCount: r.integer("network.azCount", 2, 6) as number,
    flowLogs: r.boolean("network.flowLogs") as boolean,
    flowLogRetentionDays: readLogRetention(r, "network.flowLogRetentionDays"),
  };
}

export function readImage(r: ConfigReader, group: string): ImageRef {
  return {
    repository: r.string(`${group}.image`, checkGhcrRepository) as string,
    tag: r.string(`${group}.imageTag`, checkImageTag) as string,
  };
}

function readLogRetention(r: ConfigReader, key: string): number {
  const days = r.integer(key, 1);
  const problem = days === undefined ? undefined : checkLogRetentionDays(days);
  return (problem ? r.fail(key, problem, days) : days) as number;
}

/** cpu, memory and ephemeral storage of a Fargate task, checked as a pair. */
function readTaskSize(r: ConfigReader, group: string): TaskSize {
  const cpu = r.integer(`${group}.cpu`, 256, 16384);
  const memory = r.integer(`${group}.memory`, 512, 122880);
  if (cpu !== undefined && memory !== undefined) {
    const problem = checkFargateSize(cpu, memory);
    if (problem) {
      r.fail(`${group}.${problem.field}`, problem.rule, problem.field === "cpu" ? cpu : memory);
    }
  }
  return {
    cpu: cpu as number,
    memory: memory as number,
    ephemeralStorageGiB: r.integer(`${group}.ephemeralStorageGiB`, 21, 200) as number,
  };
}

/**
 * Schedules must run at least twice a year; a backup's must also fit CloudWatch's longest alarm
 * window once the grace is added, or nothing would notice that backups stopped.
 */
function checkFreshness(
  r: ConfigReader,
  key: string,
  schedules: readonly string[],
  timezone: string,
  timeoutMinutes: number,
  mustBeAlarmable: boolean,
): void {
  let window;
  try {
    window = freshnessWindow(schedules, timezone, timeoutMinutes);
  } catch (err) {
    r.fail(key, `must run at least twice a year: ${(err as Error).message}`, schedules);
    return;
  }
  if (mustBeAlarmable && !window.alarmable) {
    const grace = graceMinutes(timeoutMinutes) / 60;
    r.fail(
      key,
      `leave up to ${window.rpoHours} h between runs; with the ${grace} h grace (retries, timeout, metric delivery) the freshness alarm would need ${window.hours} h, beyond CloudWatch's ${MAX_ALARM_WINDOW_HOURS} h: schedule runs more often`,
      schedules,
    );
  }
}
