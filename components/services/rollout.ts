// How long a new image takes to go live and the old one to leave, from the load balancer's
// health and deregistration settings: a pure function, so the defaults can be held to a bound.
import type { RolloutConfig } from "../../rules/types";

/** Pulling a ~200 MB image from GHCR and starting the container on Fargate, worst case seen. */
export const TASK_START_SECONDS = 60;
/** ECS's grace between SIGTERM and SIGKILL for the old task (its default stopTimeout). */
export const TASK_STOP_SECONDS = 30;
/** The bound the defaults are held to: a new image live, the old one gone. */
export const ROLLOUT_TARGET_SECONDS = 180;

/**
 * Worst-case seconds from "deployment starts" to "only the new image serves": start the task,
 * pass `healthyThreshold` checks (the first check may come a full interval after start), then
 * drain and stop the old task.
 */
export function worstCaseRolloutSeconds(r: RolloutConfig): number {
  const healthy = (r.healthyThreshold + 1) * r.healthCheckIntervalSeconds;
  return TASK_START_SECONDS + healthy + r.deregistrationDelaySeconds + TASK_STOP_SECONDS;
}
