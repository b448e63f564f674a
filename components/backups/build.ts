// The stack's backups, built from its configuration on its platform: the bucket, then the
// scheduled backup and drill tasks with their images pinned by digest.
import type { BackupConfig, DrillConfig } from "../../rules/types";
import type { Platform, Tagger } from "../platform/build";
import { BackupBucket } from "./bucket";
import { ScheduledBackup } from "./scheduled-backup";

/** The configuration the backups are built from (a slice of the stack's). */
export interface BackupsConfig {
  readonly stack: string;
  readonly region: string;
  readonly protectStatefulResources: boolean;
  readonly backup: BackupConfig;
  readonly drill: DrillConfig;
}

export interface Backups {
  readonly bucket: BackupBucket;
  readonly scheduled: ScheduledBackup;
}

/**
 * Builds the backups of the stack named from `name` (`gad-<stack>`). Resolves the job's and the
 * drill database's images to digests first: an unknown tag stops the run, naming it.
 */
export async function buildBackups(
  name: string,
  config: BackupsConfig,
  platform: Platform,
  tags: Tagger,
): Promise<Backups> {
  const { backup, drill } = config;
  const bucket = new BackupBucket(`${name}-backups`, {
    ...backup,
    protect: config.protectStatefulResources,
    tags: tags("backups"),
  });
  const scheduled = new ScheduledBackup(name, {
    ...config,
    ...platform,
    registryCredentialsArn: platform.registry.credentialsSecretArn,
    bucket,
    images: {
      job: await platform.registry.pin("backup job", backup.image),
      drillDatabase: await platform.registry.pin("drill database", drill.databaseImage),
    },
    tags: tags("backups"),
  });
  return { bucket, scheduled };
}

/** The stack outputs an operator needs of the backups. */
export function backupOutputs({ bucket, scheduled }: Backups) {
  return {
    backupBucketName: bucket.bucketName,
    backupBucketArn: bucket.bucketArn,
    backupKmsKeyArn: bucket.kmsKeyArn,
    backupPrefix: bucket.backupPrefix,
    backupRpoHours: scheduled.rpoHours,
    backupFreshnessWindowHours: scheduled.freshnessWindowHours,
    runBackupCommand: scheduled.runBackupCommand,
    runDrillCommand: scheduled.runDrillCommand,
  };
}
