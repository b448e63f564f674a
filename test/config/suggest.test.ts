import { strict as assert } from "assert";
import { suggest } from "../../config/suggest";

describe("suggest", () => {
  const known = ["backup.retentionDays", "backup.prefix", "network.vpcCidr"];
  it("finds a near miss", () =>
    assert.equal(suggest("backup.retentiondays", known), "backup.retentionDays"));
  it("finds a small typo", () =>
    assert.equal(suggest("backup.retenionDays", known), "backup.retentionDays"));
  it("stays quiet for something unrelated", () =>
    assert.equal(suggest("database.instanceClass", known), undefined));
});
