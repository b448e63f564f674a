import { strict as assert } from "assert";
import { checkFargateSize } from "../../rules/fargate";

describe("checkFargateSize", () => {
  it("accepts the documented pairs", () => {
    assert.equal(checkFargateSize(256, 512), undefined);
    assert.equal(checkFargateSize(1024, 2048), undefined);
    assert.equal(checkFargateSize(4096, 30720), undefined);
    assert.equal(checkFargateSize(16384, 122880), undefined);
  });
  it("names the CPU when the CPU is not a Fargate value", () => {
    assert.equal(checkFargateSize(300, 1024)?.field, "cpu");
  });
  it("names the memory and the valid range when the pair does not exist", () => {
    const problem = checkFargateSize(1024, 1024);
    assert.equal(problem?.field, "memory");
    assert.match(problem?.rule ?? "", /cpu 1024: use 2048 to 8192 in steps of 1024 MiB/);
    assert.match(checkFargateSize(256, 4096)?.rule ?? "", /use 512, 1024, 2048 MiB/);
    assert.equal(checkFargateSize(8192, 18432)?.field, "memory", "8 vCPU takes 4 GiB steps");
  });
});
