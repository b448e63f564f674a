// The harness itself: a data-source call the test did not declare must fail, not be faked.
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { RecordingMocks, installMocks } from "./mocks";

describe("recording mocks", () => {
  it("fail any provider call the test did not declare", async () => {
    await installMocks(new RecordingMocks());
    await assert.rejects(
      aws.getCallerIdentity(),
      /unexpected provider call aws:index\/getCallerIdentity:getCallerIdentity/,
    );
  });

  it("answer a declared call with the test's value", async () => {
    const mocks = new RecordingMocks({
      "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: "210987654321",
        arn: "a",
        userId: "u",
        id: "i",
      }),
    });
    await installMocks(mocks);
    assert.equal((await aws.getCallerIdentity()).accountId, "210987654321");
  });
});
