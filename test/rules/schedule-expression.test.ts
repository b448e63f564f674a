import { strict as assert } from "assert";
import { checkScheduleExpression, checkTimezone } from "../../rules/schedule-expression";

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
