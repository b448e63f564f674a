import { strict as assert } from "assert";
import { checkRetention } from "../../rules/retention";

describe("backup retention rules", () => {
  it("accepts a plain retention and a full tiering ladder", () => {
    assert.deepEqual(checkRetention({ retentionDays: 30 }), []);
    assert.deepEqual(
      checkRetention({
        retentionDays: 400,
        transitionToInfrequentAccessDays: 30,
        transitionToGlacierDays: 60,
        objectLockDays: 400,
      }),
      [],
    );
  });

  it("names fields the way the caller asks", () => {
    const [problem] = checkRetention(
      { retentionDays: 10, objectLockDays: 11 },
      (f) => `backup.${f}`,
    );
    assert.deepEqual(problem, {
      field: "objectLockDays",
      rule: "must not exceed backup.retentionDays (10): locked backups could not expire",
      got: 11,
    });
  });

  it("reports every broken relation, not just the first", () => {
    const fields = checkRetention({
      retentionDays: 40,
      transitionToInfrequentAccessDays: 20,
      transitionToGlacierDays: 45,
      objectLockDays: 0,
    }).map((p) => p.field);
    assert.deepEqual(fields, [
      "transitionToInfrequentAccessDays",
      "transitionToGlacierDays",
      "transitionToGlacierDays",
      "objectLockDays",
    ]);
  });
});
