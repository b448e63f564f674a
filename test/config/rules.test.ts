import { strict as assert } from "assert";
import {
  checkFargateSize,
  checkGhcrRepository,
  checkVpcCidr,
  parseCidr,
  suggest,
} from "../../config/rules";
import { checkScheduleExpression, checkTimezone } from "../../config/schedule-expression";

describe("config rules", () => {
  describe("checkScheduleExpression (EventBridge Scheduler)", () => {
    for (const ok of [
      "cron(0 1 * * ? *)",
      "cron(30 13 * * ? *)",
      "cron(0/15 * ? * MON-FRI *)",
      "cron(0 3 ? * SUN *)",
      "cron(0 3 L * ? *)",
      "cron(0 3 ? * 6#3 *)",
      "cron(5,35 8-18 1,15 JAN-JUN ? 2026-2030)",
      "rate(12 hours)",
      "rate(1 day)",
    ]) {
      it(`accepts ${ok}`, () => assert.equal(checkScheduleExpression(ok), undefined));
    }

    const bad: [string, RegExp][] = [
      ["0 1 * * *", /cron\(minutes hours day-of-month month day-of-week year\)/],
      ["cron(0 1 * * *)", /6 cron fields, found 5/],
      ["cron(0 1 * * * *)", /\? in exactly one of day-of-month and day-of-week/],
      ["cron(0 1 ? * ? *)", /\? in exactly one/],
      ["cron(60 1 * * ? *)", /minutes field "60" is out of range 0-59/],
      ["cron(0 24 * * ? *)", /hours field "24" is out of range 0-23/],
      ["cron(0 1 * 13 ? *)", /month field "13" is out of range 1-12/],
      ["cron(0 1 ? * 8 *)", /day-of-week field "8" is out of range 1-7/],
      ["cron(0 1 * * ? 1969)", /year field "1969" is out of range 1970-2199/],
      ["cron(0/0 1 * * ? *)", /invalid step/],
      ["cron(x 1 * * ? *)", /invalid value "x"/],
      ["rate(1 hours)", /singular unit for 1: rate\(1 hour\)/],
      ["rate(2 hour)", /plural unit: rate\(2 hours\)/],
      ["rate(0 hours)", /positive integer/],
      ["at(2026-12-01T01:00:00)", /recurring/],
    ];
    for (const [expr, message] of bad) {
      it(`rejects ${expr}`, () => assert.match(checkScheduleExpression(expr) ?? "", message));
    }
  });

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

  describe("checkTimezone", () => {
    it("accepts IANA names", () => {
      for (const tz of ["UTC", "America/Argentina/Buenos_Aires", "Europe/Madrid", "Etc/GMT+3"]) {
        assert.equal(checkTimezone(tz), undefined, tz);
      }
    });
    it("rejects unknown zones, offsets and wrong case", () => {
      for (const tz of ["Mars/Olympus", "+03:00", "utc", "GMT-3 ", ""]) {
        assert.match(checkTimezone(tz) ?? "", /IANA time zone/, tz);
      }
    });
  });

  describe("checkGhcrRepository", () => {
    it("accepts lower-case GHCR repositories, nested ones too", () => {
      assert.equal(checkGhcrRepository("ghcr.io/eevans-d/grupo_gad/api"), undefined);
      assert.equal(checkGhcrRepository("ghcr.io/eevans-d/gad-infra/backup"), undefined);
    });
    it("rejects upper case and shows the lower-case reference", () =>
      assert.match(
        checkGhcrRepository("ghcr.io/eevans-d/GRUPO_GAD/api") ?? "",
        /use ghcr.io\/eevans-d\/grupo_gad\/api/,
      ));
    it("rejects a tag or digest in the repository", () => {
      assert.match(checkGhcrRepository("ghcr.io/eevans-d/grupo_gad/api:master") ?? "", /imageTag/);
      assert.match(
        checkGhcrRepository("ghcr.io/eevans-d/grupo_gad/api@sha256:abc") ?? "",
        /imageTag/,
      );
    });
    it("rejects other registries", () =>
      assert.match(
        checkGhcrRepository("docker.io/library/postgres") ?? "",
        /ghcr.io\/<owner>\/<name>/,
      ));
  });

  describe("suggest", () => {
    const known = ["backup.retentionDays", "backup.prefix", "network.vpcCidr"];
    it("finds a near miss", () =>
      assert.equal(suggest("backup.retentiondays", known), "backup.retentionDays"));
    it("finds a small typo", () =>
      assert.equal(suggest("backup.retenionDays", known), "backup.retentionDays"));
    it("stays quiet for something unrelated", () =>
      assert.equal(suggest("database.instanceClass", known), undefined));
  });
});
