import { strict as assert } from "assert";
import { containerDefinitionProblems, numericProblems } from "../../rules/aws-limits";

describe("AWS limits", () => {
  it("ECS health checks: retries 1-10, interval 5-300, timeout 2-120, startPeriod 0-300", () => {
    const ok = { interval: 5, timeout: 2, retries: 10, startPeriod: 300 };
    assert.deepEqual(containerDefinitionProblems([{ name: "a", healthCheck: ok }]), []);
    assert.deepEqual(
      containerDefinitionProblems([
        { name: "db", healthCheck: { interval: 4, timeout: 121, retries: 12, startPeriod: 1.5 } },
        { name: "no-check" },
      ]),
      [
        "container db healthCheck.interval 4 is outside 5-300 (ECS HealthCheck API reference)",
        "container db healthCheck.timeout 121 is outside 2-120 (ECS HealthCheck API reference)",
        "container db healthCheck.retries 12 is outside 1-10 (ECS HealthCheck API reference)",
        "container db healthCheck.startPeriod 1.5 is outside 0-300 (ECS HealthCheck API reference)",
      ],
    );
  });

  it("numericProblems: bounded inputs of resources, nested and per list element", () => {
    assert.deepEqual(
      numericProblems("aws:lb/targetGroup:TargetGroup", "tg", {
        deregistrationDelay: 30,
        healthCheck: { interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 11 },
      }),
      [
        "tg: healthCheck.unhealthyThreshold 11 is outside 2-10 (ELB API Reference, CreateTargetGroup: UnhealthyThresholdCount)",
      ],
    );
    assert.deepEqual(
      numericProblems("aws:cloudfront/distribution:Distribution", "cdn", {
        origins: [
          { vpcOriginConfig: { originReadTimeout: 60 } },
          { vpcOriginConfig: { originReadTimeout: 90 } },
        ],
      }),
      [
        "cdn: origins[].vpcOriginConfig.originReadTimeout 90 is outside 1-60 (CloudFront Developer Guide, Response timeout (without a quota increase))",
      ],
    );
    assert.deepEqual(numericProblems("aws:kms/key:Key", "k", { deletionWindowInDays: "30" }), []);
  });
});
