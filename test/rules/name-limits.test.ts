import { strict as assert } from "assert";
import { nameProblems } from "../../rules/name-limits";

describe("AWS name limits", () => {
  it("an auto-named field counts Pulumi's 8-character suffix", () => {
    const lb = "aws:lb/loadBalancer:LoadBalancer";
    assert.deepEqual(nameProblems(lb, "a".repeat(24), {}), []);
    assert.deepEqual(nameProblems(lb, "a".repeat(25), {}), [
      `${"a".repeat(25)}: name ${"a".repeat(25)} plus Pulumi's 8-character suffix is 33 characters; AWS allows 32 (ELB API Reference, CreateLoadBalancer: Name)`,
    ]);
  });

  it("a set name is checked as set; an unknown one is skipped", () => {
    const tg = "aws:lb/targetGroup:TargetGroup";
    assert.deepEqual(nameProblems(tg, "x".repeat(60), { name: "short" }), []);
    assert.equal(nameProblems(tg, "t", { name: "under_score" }).length, 1);
    assert.deepEqual(nameProblems(tg, "x".repeat(60), { namePrefix: "gad-" }), []);
    assert.equal(nameProblems(tg, "t", { namePrefix: "gad-tg-" }).length, 1, "7 + 26 > 32");
  });

  it("EC2 descriptions refuse what EC2 refuses: an apostrophe", () => {
    const sg = "aws:ec2/securityGroup:SecurityGroup";
    assert.deepEqual(nameProblems(sg, "sg", { description: "HTTPS from anywhere: 443" }), []);
    assert.deepEqual(nameProblems(sg, "sg", { description: "the service's tasks" }), [
      'sg: description "the service\'s tasks" has characters AWS refuses (EC2 API Reference, CreateSecurityGroup: GroupDescription)',
    ]);
  });

  it("nested fields: WAF metric names", () => {
    const acl = "aws:wafv2/webAcl:WebAcl";
    assert.equal(
      nameProblems(acl, "w", { visibilityConfig: { metricName: "m".repeat(129) } }).length,
      1,
    );
  });
});
