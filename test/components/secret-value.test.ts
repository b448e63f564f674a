// SecretValue's provider over a recording fake of Secrets Manager: it writes with PutSecretValue,
// refreshes from DescribeSecret alone (never the value), and rewrites a value replaced outside
// Pulumi on the next update.
import { strict as assert } from "assert";
import {
  SECRET_VALUE_REFRESH_ACTIONS,
  SecretsCalls,
  SecretValueState,
  secretValueProvider,
} from "../../components/secret-value";

const ARN = "arn:aws:secretsmanager:sa-east-1:123456789012:secret:gad-staging-appSecretKey-AbCdEf";

class FakeSecrets implements SecretsCalls {
  readonly calls: string[] = [];
  current: string | undefined = undefined;
  private next = 1;
  async put(secretId: string, secretString: string): Promise<string> {
    this.calls.push(`PutSecretValue ${secretId} ${secretString.length}`);
    this.current = `v${this.next++}`;
    return this.current;
  }
  async currentVersion(secretId: string): Promise<string | undefined> {
    this.calls.push(`DescribeSecret ${secretId}`);
    return this.current;
  }
}

describe("SecretValue (provider)", () => {
  let fake: FakeSecrets;
  let regions: string[];
  const provider = () =>
    secretValueProvider((region) => {
      regions.push(region);
      return fake;
    });
  const inputs = { region: "sa-east-1", secretId: ARN, secretString: "s3cr3t" };

  beforeEach(() => {
    fake = new FakeSecrets();
    regions = [];
  });

  it("create writes the value once and records the version it wrote", async () => {
    const created = await provider().create(inputs);
    assert.deepEqual(fake.calls, [`PutSecretValue ${ARN} 6`]);
    assert.deepEqual(regions, ["sa-east-1"]);
    assert.deepEqual(created.outs, { ...inputs, writtenVersionId: "v1", versionId: "v1" });
  });

  it("a refresh asks only which version is current: the value is never read", async () => {
    const { id, outs } = await provider().create(inputs);
    fake.calls.length = 0;
    const read = await provider().read!(id, outs as SecretValueState);
    assert.deepEqual(fake.calls, [`DescribeSecret ${ARN}`]);
    assert.deepEqual(read, { id, props: outs });
    assert.deepEqual(SECRET_VALUE_REFRESH_ACTIONS, ["secretsmanager:DescribeSecret"]);
  });

  it("a value replaced outside Pulumi shows as drift and the next update writes the stack's again", async () => {
    const p = provider();
    const { id, outs } = await p.create(inputs);
    fake.current = "changed-by-hand";
    const read = await p.read!(id, outs as SecretValueState);
    assert.equal(read.props?.versionId, "changed-by-hand");
    const diff = await p.diff!(id, read.props as SecretValueState, inputs);
    assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await p.update!(id, read.props as SecretValueState, inputs);
    assert.equal(updated.outs.versionId, updated.outs.writtenVersionId);
  });

  it("no change without a new value; a new value updates in place; another secret replaces", async () => {
    const p = provider();
    const { id, outs } = await p.create(inputs);
    const state = outs as SecretValueState;
    assert.deepEqual((await p.diff!(id, state, inputs)).changes, false);
    const changed = await p.diff!(id, state, { ...inputs, secretString: "other" });
    assert.deepEqual([changed.changes, changed.replaces], [true, []]);
    const moved = await p.diff!(id, state, { ...inputs, secretId: `${ARN}x` });
    assert.deepEqual(moved.replaces, ["secretId"]);
  });

  it("a deleted secret reads as gone (empty id), so a refresh drops it and an update recreates it", async () => {
    const { id, outs } = await provider().create(inputs);
    fake.current = undefined;
    assert.deepEqual(await provider().read!(id, outs as SecretValueState), { id: "", props: {} });
  });
});
