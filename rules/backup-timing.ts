// How long a scheduled job may take to show up, and so how long the freshness alarm waits: the
// largest gap between two runs (worst-case RPO) plus a grace that covers the scheduler's retries,
// the job's own timeout and the metric's delivery. Pure, shared by the config check and the
// alarms, so the number the config accepts is the number the alarm uses.
import { worstCaseRpoHours } from "./schedule-rpo";

/** Attempts EventBridge Scheduler makes after a failed RunTask (capacity, throttling). */
export const SCHEDULE_RETRY_ATTEMPTS = 3;
/** How long EventBridge Scheduler keeps retrying a RunTask before it goes to the dead-letter queue. */
export const SCHEDULE_MAX_EVENT_AGE_MINUTES = 60;
/** EMF metrics reach CloudWatch within minutes of the job's last log line; this is the margin. */
export const METRIC_DELIVERY_MINUTES = 15;
/** CloudWatch alarms evaluate at most seven days (hourly periods). */
export const MAX_ALARM_WINDOW_HOURS = 168;

/** Minutes between a scheduled start and the latest moment a successful run reports it. */
export function graceMinutes(timeoutMinutes: number): number {
  return SCHEDULE_MAX_EVENT_AGE_MINUTES + timeoutMinutes + METRIC_DELIVERY_MINUTES;
}

export interface FreshnessWindow {
  /** Worst-case gap between two scheduled runs, in hours (may be fractional). */
  readonly rpoHours: number;
  /** Whole hours the alarm looks back over: rpoHours plus grace, rounded up. */
  readonly hours: number;
  /** Whether CloudWatch can evaluate that window (at most MAX_ALARM_WINDOW_HOURS). */
  readonly alarmable: boolean;
}

/**
 * The window of a freshness alarm for jobs started by `schedules` in `timezone` that may run
 * for up to `timeoutMinutes`.
 *
 * @throws Error when the schedules never run (see worstCaseRpoHours)
 */
export function freshnessWindow(
  schedules: readonly string[],
  timezone: string,
  timeoutMinutes: number,
): FreshnessWindow {
  const rpoHours = worstCaseRpoHours(schedules, timezone);
  const hours = Math.ceil(rpoHours + graceMinutes(timeoutMinutes) / 60);
  return { rpoHours, hours, alarmable: hours <= MAX_ALARM_WINDOW_HOURS };
}
