// Retention periods CloudWatch Logs accepts
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).

export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export function checkLogRetentionDays(days: number): string | undefined {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(days)
    ? undefined
    : `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}`;
}
