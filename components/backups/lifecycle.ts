// The backup bucket's lifecycle rules, from retention settings that rules/retention.ts accepts.
import type * as aws from "@pulumi/aws";
import { ABORT_INCOMPLETE_UPLOAD_DAYS, RetentionSettings } from "../../rules/retention";

type LifecycleRule = aws.types.input.s3.BucketLifecycleConfigurationRule;

export interface LifecycleSettings extends RetentionSettings {
  readonly prefix: string;
  readonly glacierStorageClass: string;
  readonly noncurrentVersionDays: number;
}

/**
 * The bucket's lifecycle: retention of the backup prefix, and bucket-wide hygiene (incomplete
 * multipart uploads left by failed backups, delete markers left by expiration).
 */
export function lifecycleRules(s: LifecycleSettings): LifecycleRule[] {
  const transitions: { days: number; storageClass: string }[] = [];
  if (s.transitionToInfrequentAccessDays !== undefined) {
    transitions.push({ days: s.transitionToInfrequentAccessDays, storageClass: "STANDARD_IA" });
  }
  if (s.transitionToGlacierDays !== undefined) {
    transitions.push({ days: s.transitionToGlacierDays, storageClass: s.glacierStorageClass });
  }
  return [
    {
      id: "backup-retention",
      status: "Enabled",
      filter: { prefix: `${s.prefix}/` },
      ...(transitions.length > 0 ? { transitions } : {}),
      expiration: { days: s.retentionDays },
      noncurrentVersionExpiration: { noncurrentDays: s.noncurrentVersionDays },
    },
    {
      id: "bucket-hygiene",
      status: "Enabled",
      // Every object. An empty filter is deprecated by the AWS provider ("Invalid Attribute
      // Combination", terraform-provider-aws#42714); an empty prefix is the documented form.
      filter: { prefix: "" },
      abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
      expiration: { expiredObjectDeleteMarker: true },
    },
  ];
}
