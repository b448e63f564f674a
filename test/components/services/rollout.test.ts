import { strict as assert } from "assert";
import {
  ROLLOUT_TARGET_SECONDS,
  worstCaseRolloutSeconds,
} from "../../../components/services/rollout";
import {
  DEFAULT_ROLLOUT_DEREGISTRATION_DELAY_SECONDS,
  DEFAULT_ROLLOUT_HEALTH_CHECK_GRACE_SECONDS,
  DEFAULT_ROLLOUT_HEALTH_CHECK_INTERVAL_SECONDS,
  DEFAULT_ROLLOUT_HEALTHY_THRESHOLD,
  DEFAULT_ROLLOUT_UNHEALTHY_THRESHOLD,
} from "../../../config/schema";

const DEFAULTS = {
  healthCheckIntervalSeconds: DEFAULT_ROLLOUT_HEALTH_CHECK_INTERVAL_SECONDS,
  healthyThreshold: DEFAULT_ROLLOUT_HEALTHY_THRESHOLD,
  unhealthyThreshold: DEFAULT_ROLLOUT_UNHEALTHY_THRESHOLD,
  deregistrationDelaySeconds: DEFAULT_ROLLOUT_DEREGISTRATION_DELAY_SECONDS,
  healthCheckGracePeriodSeconds: DEFAULT_ROLLOUT_HEALTH_CHECK_GRACE_SECONDS,
};

describe("rollout time", () => {
  it("the defaults put a new image live, and the old one gone, in under 3 minutes", () => {
    const seconds = worstCaseRolloutSeconds(DEFAULTS);
    assert.equal(seconds, 60 + 3 * 10 + 30 + 30);
    assert.ok(seconds < ROLLOUT_TARGET_SECONDS, `${seconds} s`);
    assert.equal(ROLLOUT_TARGET_SECONDS, 180);
  });

  it("grows with the health interval, the threshold and the deregistration delay", () => {
    const base = worstCaseRolloutSeconds(DEFAULTS);
    assert.equal(
      worstCaseRolloutSeconds({ ...DEFAULTS, healthCheckIntervalSeconds: 30 }),
      base + 60,
    );
    assert.equal(worstCaseRolloutSeconds({ ...DEFAULTS, healthyThreshold: 5 }), base + 30);
    assert.equal(
      worstCaseRolloutSeconds({ ...DEFAULTS, deregistrationDelaySeconds: 300 }),
      base + 270,
    );
  });
});
