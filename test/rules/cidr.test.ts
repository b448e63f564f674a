import { strict as assert } from "assert";
import { checkVpcCidr, parseCidr } from "../../rules/cidr";

describe("CIDRs", () => {
  it("parses a network address", () =>
    assert.deepEqual(parseCidr("10.40.0.0/16"), { base: 170393600, prefix: 16 }));
  it("rejects host bits and names the network", () =>
    assert.match(String(parseCidr("10.40.1.0/16")), /network address is 10.40.0.0\/16/));
  it("rejects malformed addresses", () => {
    for (const bad of [
      "10.40.0/16",
      "10.400.0.0/16",
      "10.40.0.0",
      "10.40.0.0/33",
      "010.1.0.0/16",
    ]) {
      assert.equal(typeof parseCidr(bad), "string", bad);
    }
  });
  it("wants a private VPC range from /16 to /24", () => {
    assert.equal(checkVpcCidr("172.20.0.0/20"), undefined);
    assert.match(checkVpcCidr("10.0.0.0/8") ?? "", /\/16 to \/24/);
    assert.match(checkVpcCidr("10.0.0.0/28") ?? "", /\/16 to \/24/);
    assert.match(checkVpcCidr("8.8.0.0/16") ?? "", /private range/);
  });
});
