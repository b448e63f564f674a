// Composition root of the `gad` program: load the stack's configuration, build the components,
// export what operators and the later stages (workflows, GitHub environments) need.
import { load } from "./config/load";
import { BackupBucket } from "./components/backup-bucket";

export = async () => {
  const config = load();

  const backups = new BackupBucket(`gad-${config.stack}-backups`, {
    prefix: config.backup.prefix,
    retentionDays: config.backup.retentionDays,
    transitionToInfrequentAccessDays: config.backup.transitionToInfrequentAccessDays,
    transitionToGlacierDays: config.backup.transitionToGlacierDays,
    glacierStorageClass: config.backup.glacierStorageClass,
    noncurrentVersionDays: config.backup.noncurrentVersionDays,
    objectLock: config.backup.objectLock,
    kmsKeyDeletionWindowDays: config.backup.kmsKeyDeletionWindowDays,
    protect: config.protectStatefulResources,
    tags: { project: "gad", stack: config.stack, component: "backups" },
  });

  return {
    region: config.region,
    backupBucketName: backups.bucketName,
    backupBucketArn: backups.bucketArn,
    backupKmsKeyArn: backups.kmsKeyArn,
    backupPrefix: backups.backupPrefix,
  };
};
