// The migration gate and the rollout check run inside Pulumi's dynamic-provider host from their
// serialized text: load that text as the host would, and exercise its diff.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RecordingMocks, installMocks, settle } from "../../mocks";

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

interface Provider {
  diff(id: string, olds: object, news: object): Promise<{ changes: boolean; replaces: string[] }>;
}

/** Loads a serialized provider the way the dynamic-provider host does: as a module. */
function load(serialized: string): Provider {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gad-dyn-")), "provider.js");
  fs.writeFileSync(file, serialized);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(file) as { handler: () => Provider }).handler();
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
});
