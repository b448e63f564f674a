import { strict as assert } from "assert";
import { MAX_ALARM_WINDOW_HOURS, freshnessWindow, graceMinutes } from "../../rules/backup-timing";

describe("backup timing", () => {
  it("grace covers the scheduler's retries, the job's timeout and metric delivery", () => {
    assert.equal(graceMinutes(120), 60 + 120 + 15);
    assert.equal(graceMinutes(30), 60 + 30 + 15);
  });

  it("default schedules: 12.5 h worst case, a 16 h window with a 2 h timeout", () => {
    const window = freshnessWindow(["cron(0 1 * * ? *)", "cron(30 13 * * ? *)"], "UTC", 120);
    assert.deepEqual(window, { rpoHours: 12.5, hours: 16, alarmable: true });
  });

  it("the window follows the schedules: one daily backup gives 24 h + grace", () => {
    assert.deepEqual(freshnessWindow(["cron(0 1 * * ? *)"], "UTC", 60), {
      rpoHours: 24,
      hours: 27,
      alarmable: true,
    });
    assert.equal(freshnessWindow(["rate(6 hours)"], "UTC", 60).hours, 9);
  });

  it("follows daylight saving time in the schedules' zone", () => {
    // 02:30 does not exist on the spring-forward day in New York: that night's run is skipped.
    const window = freshnessWindow(["cron(30 2 * * ? *)"], "America/New_York", 60);
    assert.ok(window.rpoHours > 24, String(window.rpoHours));
  });

  it("a weekly schedule cannot be watched by CloudWatch once grace is added", () => {
    const weekly = freshnessWindow(["cron(0 4 ? * SUN *)"], "UTC", 0);
    assert.equal(weekly.rpoHours, 168);
    assert.equal(weekly.hours, 168 + 2);
    assert.equal(weekly.alarmable, false);
    assert.equal(MAX_ALARM_WINDOW_HOURS, 168);
  });

  it("refuses schedules that never run", () => {
    assert.throws(() => freshnessWindow([], "UTC", 60), /no schedules/);
  });
});
