import { strict as assert } from "assert";
import { runs, worstCaseRpoHours } from "../../rules/schedule-rpo";
import { DEFAULT_BACKUP_SCHEDULES } from "../../config/schema";

const iso = (t: number) => new Date(t).toISOString().slice(0, 16);
const week = Date.UTC(2026, 2, 2); // Monday 2026-03-02

describe("schedule RPO", () => {
  it("the application's schedule (01:00 and 13:30 UTC) leaves at most 12.5 hours", () => {
    assert.equal(worstCaseRpoHours(DEFAULT_BACKUP_SCHEDULES, "UTC"), 12.5);
  });

  it("follows the schedules: one daily run is 24 h, rate(6 hours) is 6 h", () => {
    assert.equal(worstCaseRpoHours(["cron(0 1 * * ? *)"], "UTC"), 24);
    assert.equal(worstCaseRpoHours(["rate(6 hours)"], "UTC"), 6);
    assert.equal(worstCaseRpoHours(["cron(0 1 * * ? *)", "rate(12 hours)"], "UTC"), 12);
  });

  it("weekday-only backups leave the weekend uncovered: Friday to Monday is 72 h", () => {
    assert.equal(worstCaseRpoHours(["cron(0 1 ? * MON-FRI *)"], "UTC"), 72);
    assert.deepEqual(runs("cron(0 1 ? * MON-FRI *)", "UTC", week, 7).map(iso), [
      "2026-03-02T01:00",
      "2026-03-03T01:00",
      "2026-03-04T01:00",
      "2026-03-05T01:00",
      "2026-03-06T01:00",
    ]);
  });

  it("evaluates in the time zone, and DST shifts the gaps by an hour", () => {
    // 01:00 in Buenos Aires (UTC-3, no DST) is 04:00 UTC.
    assert.equal(
      iso(runs("cron(0 1 * * ? *)", "America/Argentina/Buenos_Aires", week, 1)[0]),
      "2026-03-02T04:00",
    );
    // New York: clocks go forward on 2026-03-08, back on 2026-11-01.
    assert.equal(worstCaseRpoHours(["cron(0 12 * * ? *)"], "America/New_York"), 25);
  });

  it("skips a local time that does not exist, and runs a repeated one once", () => {
    const spring = runs("cron(30 2 * * ? *)", "America/New_York", Date.UTC(2026, 2, 7), 3).map(iso);
    assert.deepEqual(
      spring,
      ["2026-03-07T07:30", "2026-03-09T06:30"],
      "02:30 on 8 March does not exist",
    );
    const fall = runs("cron(30 1 * * ? *)", "America/New_York", Date.UTC(2026, 9, 31), 3).map(iso);
    assert.deepEqual(
      fall,
      ["2026-10-31T05:30", "2026-11-01T05:30", "2026-11-02T06:30"],
      "01:30 on 1 November happens twice",
    );
    // 7 March 02:30 EST (07:30 UTC) to 9 March 02:30 EDT (06:30 UTC): two days less an hour.
    assert.equal(worstCaseRpoHours(["cron(30 2 * * ? *)"], "America/New_York"), 47);
  });

  it("understands L, W and # in the day fields", () => {
    const from = Date.UTC(2026, 0, 1);
    assert.deepEqual(runs("cron(0 0 L * ? *)", "UTC", from, 90).map(iso), [
      "2026-01-31T00:00",
      "2026-02-28T00:00",
      "2026-03-31T00:00",
    ]);
    assert.deepEqual(
      runs("cron(0 0 ? * 6#1 *)", "UTC", from, 60).map(iso),
      ["2026-01-02T00:00", "2026-02-06T00:00"],
      "first Friday",
    );
    assert.deepEqual(
      runs("cron(0 0 ? * 2L *)", "UTC", from, 60).map(iso),
      ["2026-01-26T00:00", "2026-02-23T00:00"],
      "last Monday",
    );
    assert.deepEqual(
      runs("cron(0 0 LW * ? *)", "UTC", from, 60).map(iso),
      ["2026-01-30T00:00", "2026-02-27T00:00"],
      "last weekday",
    );
    assert.deepEqual(
      runs("cron(0 0 15W * ? *)", "UTC", Date.UTC(2026, 2, 1), 31).map(iso),
      ["2026-03-16T00:00"],
      "15 March 2026 is a Sunday",
    );
    assert.deepEqual(runs("cron(0/20 9 1 JAN ? 2026)", "UTC", from, 2).map(iso), [
      "2026-01-01T09:00",
      "2026-01-01T09:20",
      "2026-01-01T09:40",
    ]);
  });

  it("refuses schedules that give no RPO", () => {
    assert.throws(() => worstCaseRpoHours([], "UTC"), /no schedules/);
    assert.throws(() => worstCaseRpoHours(["cron(0 1 1 1 ? 2030)"], "UTC"), /run never in a year/);
  });
});
