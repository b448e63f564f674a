import { strict as assert } from "assert";
import { lifecycleRules } from "../../../components/backups/lifecycle";

describe("backup bucket lifecycle rules", () => {
  it("omits transitions when none are set", () => {
    const [retention] = lifecycleRules({
      retentionDays: 30,
      prefix: "backups",
      glacierStorageClass: "GLACIER_IR",
      noncurrentVersionDays: 7,
    });
    assert.equal("transitions" in retention, false);
    assert.deepEqual(retention.filter, { prefix: "backups/" });
  });
});
