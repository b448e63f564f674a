// Pure rules of backup retention: which combinations S3 (and common sense) accept
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html).
// Shared by the config module and `BackupBucket`.

/** S3 moves objects to STANDARD_IA only once they are at least this many days old. */
export const MIN_DAYS_BEFORE_INFREQUENT_ACCESS = 30;
/** S3 requires this many days in STANDARD_IA before a further transition to Glacier. */
export const MIN_DAYS_IN_INFREQUENT_ACCESS = 30;
/** Incomplete multipart uploads (an aborted or killed backup) are removed after this many days. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 1;

export interface RetentionSettings {
  readonly retentionDays: number;
  readonly transitionToInfrequentAccessDays?: number;
  readonly transitionToGlacierDays?: number;
  readonly objectLockDays?: number;
}

export type RetentionField = keyof RetentionSettings;

export interface RetentionProblem {
  readonly field: RetentionField;
  readonly rule: string;
  readonly got: number;
}

/**
 * Checks how retention settings relate to each other. `name` renders a field as the caller's
 * users know it (a config key or an Args property).
 */
export function checkRetention(
  s: RetentionSettings,
  name: (field: RetentionField) => string = (f) => f,
): RetentionProblem[] {
  const problems: RetentionProblem[] = [];
  const fail = (field: RetentionField, rule: string, got: number) =>
    problems.push({ field, rule, got });
  const {
    retentionDays,
    transitionToInfrequentAccessDays: ia,
    transitionToGlacierDays: glacier,
  } = s;
  const lock = s.objectLockDays;

  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    fail("retentionDays", "must be an integer >= 1", retentionDays);
    return problems;
  }
  if (ia !== undefined && (!Number.isInteger(ia) || ia < MIN_DAYS_BEFORE_INFREQUENT_ACCESS)) {
    fail(
      "transitionToInfrequentAccessDays",
      `must be at least ${MIN_DAYS_BEFORE_INFREQUENT_ACCESS}: S3 moves objects to STANDARD_IA only after ${MIN_DAYS_BEFORE_INFREQUENT_ACCESS} days`,
      ia,
    );
  }
  if (glacier !== undefined && (!Number.isInteger(glacier) || glacier < 1)) {
    fail("transitionToGlacierDays", "must be an integer >= 1", glacier);
  }
  for (const field of ["transitionToInfrequentAccessDays", "transitionToGlacierDays"] as const) {
    const days = s[field];
    if (days !== undefined && days >= retentionDays) {
      fail(
        field,
        `must be less than ${name("retentionDays")} (${retentionDays}): a transition after expiration never happens`,
        days,
      );
    }
  }
  if (ia !== undefined && glacier !== undefined && glacier < ia + MIN_DAYS_IN_INFREQUENT_ACCESS) {
    fail(
      "transitionToGlacierDays",
      `must be at least ${MIN_DAYS_IN_INFREQUENT_ACCESS} days after ${name("transitionToInfrequentAccessDays")} (${ia}), i.e. >= ${ia + MIN_DAYS_IN_INFREQUENT_ACCESS}`,
      glacier,
    );
  }
  if (lock !== undefined && (!Number.isInteger(lock) || lock < 1)) {
    fail("objectLockDays", "must be an integer >= 1 when Object Lock is on", lock);
  } else if (lock !== undefined && lock > retentionDays) {
    fail(
      "objectLockDays",
      `must not exceed ${name("retentionDays")} (${retentionDays}): locked backups could not expire`,
      lock,
    );
  }
  return problems;
}
