// The migration gate, the rollout check and the secret values run inside Pulumi's
// dynamic-provider host from their serialized text: load that text as the host would, and
// exercise it (SecretValue against moto's Secrets Manager, through the SDK it loads itself).
import { strict as assert } from "assert";
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { RecordingMocks, installMocks, secretValue, settle } from "../../mocks";
import { TEST_REGION, useMotoEnvironment } from "../../support/moto";
import { ROOT } from "../../support/stack-files";

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

interface Provider {
  diff(id: string, olds: object, news: object): Promise<{ changes: boolean; replaces: string[] }>;
  create(inputs: object): Promise<{ id: string; outs: Record<string, string> }>;
  read(id: string, props: object): Promise<{ id: string; props: Record<string, string> }>;
}

/**
 * Loads a serialized provider the way the dynamic-provider host does
 * (@pulumi/pulumi/cmd/dynamic-provider: `requireFromString(text).handler()`), so its own
 * `require`s resolve from the working directory, the program's, as under `pulumi up`.
 */
function load(serialized: string): Provider {
  assert.equal(process.cwd(), ROOT, "the tests run from the project, as the host does");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireFromString = require("require-from-string") as (code: string) => {
    handler: () => Provider;
  };
  return requireFromString(serialized).handler();
}

describe("dynamic providers, as serialized", () => {
  const mocks = new RecordingMocks();

  before(() => installMocks(mocks));
  beforeEach(() => mocks.reset());

  it("the migration gate and the rollout check load and run again only for a new revision", async () => {
    const { RunTaskOnce } = await import("../../../components/services/run-task-once");
    const { DeploymentCheck } = await import("../../../components/services/deployment-check");
    const common = { region: "sa-east-1", cluster: "c", taskDefinitionArn: "td:1" };
    new RunTaskOnce("gate", {
      ...common,
      containerName: "api",
      subnets: ["s"],
      securityGroups: ["g"],
      assignPublicIp: false,
      timeoutSeconds: 60,
    });
    new DeploymentCheck("check", { ...common, service: "api" });
    await settle();
    for (const name of ["gate", "check"]) {
      const provider = load(mocks.named(DYNAMIC, name).inputs.__provider);
      assert.deepEqual(await provider.diff("id", common, common), { changes: false, replaces: [] });
      assert.deepEqual(
        await provider.diff("id", common, { ...common, taskDefinitionArn: "td:2" }),
        { changes: true, replaces: ["taskDefinitionArn"] },
        name,
      );
    }
  });

  describe("SecretValue against Secrets Manager (moto)", () => {
    useMotoEnvironment("block");

    it("writes the value with PutSecretValue and refreshes from DescribeSecret, seeing a value replaced by hand", async () => {
      const sm = new SecretsManagerClient({ region: TEST_REGION });
      const { ARN: arn } = await sm.send(
        new CreateSecretCommand({ Name: "gad-test-appSecretKey" }),
      );
      const { SecretValue } = await import("../../../components/secret-value");
      new SecretValue("value", {
        region: TEST_REGION,
        secretId: arn as string,
        secretString: "s3cr3t",
      });
      await settle();
      const recorded = mocks.named(DYNAMIC, "value").inputs;
      assert.equal(secretValue(recorded.secretString), "s3cr3t");
      const provider = load(recorded.__provider);
      const inputs = { region: TEST_REGION, secretId: arn as string, secretString: "s3cr3t" };
      const { id, outs } = await provider.create(inputs);
      const stored = await sm.send(new GetSecretValueCommand({ SecretId: arn }));
      assert.equal(stored.SecretString, "s3cr3t");
      assert.equal(outs.versionId, stored.VersionId);
      assert.deepEqual(await provider.read(id, outs), { id, props: outs });
      const byHand = await sm.send(new PutSecretValueCommand({ SecretId: arn, SecretString: "x" }));
      const refreshed = await provider.read(id, outs);
      assert.equal(refreshed.props.versionId, byHand.VersionId);
      assert.equal((await provider.diff(id, refreshed.props, inputs)).changes, true);
      sm.destroy();
    });
  });
});
