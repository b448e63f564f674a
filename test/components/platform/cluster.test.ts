import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks, installMocks, settle } from "../../mocks";
import type * as ClusterModule from "../../../components/platform/cluster";

describe("Cluster", () => {
  const mocks = new RecordingMocks();
  let mod: typeof ClusterModule;

  before(async () => {
    await installMocks(mocks);
    mod = await import("../../../components/platform/cluster");
  });
  beforeEach(() => mocks.reset());

  it("turns on Container Insights and logs ECS Exec sessions to its own group", async () => {
    new mod.Cluster("ecs", { execLogRetentionDays: 30 });
    await settle();
    const cluster = mocks.one("aws:ecs/cluster:Cluster").inputs;
    assert.deepEqual(cluster.settings, [{ name: "containerInsights", value: "enabled" }]);
    assert.deepEqual(cluster.configuration.executeCommandConfiguration, {
      logging: "OVERRIDE",
      logConfiguration: { cloudWatchLogGroupName: "ecs-exec", cloudWatchEncryptionEnabled: false },
    });
    assert.equal(mocks.one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 30);
  });

  it("offers FARGATE and FARGATE_SPOT, FARGATE by default", async () => {
    new mod.Cluster("ecs");
    await settle();
    const cp = mocks.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders").inputs;
    assert.deepEqual(cp.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
    assert.deepEqual(cp.defaultCapacityProviderStrategies, [
      { capacityProvider: "FARGATE", weight: 1, base: 0 },
    ]);
    assert.equal(
      mocks.one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays,
      mod.DEFAULT_EXEC_LOG_RETENTION_DAYS,
    );
  });

  it("refuses a retention CloudWatch Logs does not offer", () => {
    assert.throws(
      () => new mod.Cluster("bad", { execLogRetentionDays: 45 }),
      (e: unknown) =>
        e instanceof pulumi.ResourceError &&
        /execLogRetentionDays must be a CloudWatch Logs retention period: .* \(got 45\)/.test(
          (e as Error).message,
        ),
    );
  });
});
