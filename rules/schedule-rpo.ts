// When EventBridge Scheduler runs a schedule, and so the worst-case RPO a list of schedules
// gives: the longest time between two consecutive runs. Pure; expressions are assumed valid
// (schedule-expression.ts checks them).
//
// Daylight saving time follows EventBridge Scheduler: a local time that does not exist (clocks
// forward) is skipped, one that occurs twice (clocks back) runs once, at its first occurrence.

import { DAYS, MONTHS } from "./schedule-expression";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Runs are enumerated over this many days: a year plus a week, so every gap is seen whole. */
export const RPO_HORIZON_DAYS = 372;
/** The horizon starts here: fixed, so the result does not depend on the day it is computed. */
export const RPO_EPOCH = Date.UTC(2026, 0, 1);

function values(field: string, min: number, max: number, names?: string[]): Set<number> {
  const out = new Set<number>();
  const num = (v: string) =>
    names?.includes(v.toUpperCase()) ? names.indexOf(v.toUpperCase()) + min : Number(v);
  for (const item of field.split(",")) {
    const [range, stepText] = item.split("/");
    const step = stepText ? Number(stepText) : 1;
    const [from, upTo] = range === "*" ? [min, max] : range.split("-").map(num);
    // "5/15" runs from 5 to the end of the range; a plain "5" is just 5.
    const to = upTo ?? (stepText ? max : from);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

interface LocalDay {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
  readonly weekday: number; // 1 = Sunday … 7 = Saturday
  readonly daysInMonth: number;
}

function nearestWeekday(d: LocalDay, target: number): number {
  const day = Math.min(target, d.daysInMonth);
  const weekday = ((((d.weekday - 1 + (day - d.day)) % 7) + 7) % 7) + 1;
  if (weekday === 7) return day === 1 ? day + 2 : day - 1; // Saturday → Friday (or Monday the 3rd)
  if (weekday === 1) return day === d.daysInMonth ? day - 2 : day + 1; // Sunday → Monday (or Friday)
  return day;
}

function dayOfMonthMatches(field: string, d: LocalDay): boolean {
  if (field === "?" || field === "*") return true;
  return field.split(",").some((item) => {
    if (item === "L") return d.day === d.daysInMonth;
    if (item === "LW") return d.day === nearestWeekday(d, d.daysInMonth);
    const before = /^L-(\d+)$/.exec(item);
    if (before) return d.day === d.daysInMonth - Number(before[1]);
    const weekday = /^(\d+)W$/.exec(item);
    if (weekday) return d.day === nearestWeekday(d, Number(weekday[1]));
    return values(item, 1, 31).has(d.day);
  });
}

function dayOfWeekMatches(field: string, d: LocalDay): boolean {
  if (field === "?" || field === "*") return true;
  const weekdayOf = (v: string) =>
    DAYS.includes(v.toUpperCase()) ? DAYS.indexOf(v.toUpperCase()) + 1 : Number(v);
  return field.split(",").some((item) => {
    if (item === "L") return d.weekday === 7;
    const last = /^(\w+)L$/.exec(item);
    if (last) return d.weekday === weekdayOf(last[1]) && d.day + 7 > d.daysInMonth;
    const nth = /^(\w+)#(\d)$/.exec(item);
    if (nth) return d.weekday === weekdayOf(nth[1]) && Math.ceil(d.day / 7) === Number(nth[2]);
    return values(item, 1, 7, DAYS).has(d.weekday);
  });
}

/** Offset of `tz` from UTC at `utc`, in milliseconds (cached per quarter hour). */
function offsetFinder(tz: string): (utc: number) => number {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  const cache = new Map<number, number>();
  return (utc) => {
    const slot = Math.floor(utc / (15 * MINUTE));
    let offset = cache.get(slot);
    if (offset === undefined) {
      const at = slot * 15 * MINUTE;
      const p = Object.fromEntries(
        format.formatToParts(new Date(at)).map((x) => [x.type, x.value]),
      );
      offset = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - at;
      cache.set(slot, offset);
    }
    return offset;
  };
}

/** The UTC instant of a local wall time: undefined if it does not exist, the first if twice. */
function toUtc(local: number, offset: (utc: number) => number): number | undefined {
  const candidates = [local - offset(local - DAY / 2), local - offset(local + DAY / 2)];
  const valid = candidates.filter((t) => t + offset(t) === local);
  return valid.length > 0 ? Math.min(...valid) : undefined;
}

/** Every run of a cron() or rate() expression in [from, from + days), as UTC milliseconds. */
export function runs(
  expression: string,
  timezone: string,
  from = RPO_EPOCH,
  days = RPO_HORIZON_DAYS,
): number[] {
  const until = from + days * DAY;
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (rate) {
    const every =
      Number(rate[1]) *
      { minute: MINUTE, hour: HOUR, day: DAY }[rate[2] as "minute" | "hour" | "day"];
    const out: number[] = [];
    for (let t = from; t < until; t += every) out.push(t);
    return out;
  }
  const m = /^cron\((.*)\)$/.exec(expression);
  if (!m) throw new Error(`not a schedule expression: ${expression}`);
  const [min, hour, dom, month, dow, year] = m[1].trim().split(/\s+/);
  const minutes = [...values(min, 0, 59)].sort((a, b) => a - b);
  const hours = [...values(hour, 0, 23)].sort((a, b) => a - b);
  const months = values(month, 1, 12, MONTHS);
  const years = values(year, 1970, 2199);
  const offset = offsetFinder(timezone);
  const out: number[] = [];
  // Local days from the day before `from` to the day after `until`, so edge runs are kept.
  for (let dayStart = from - DAY; dayStart < until + DAY; dayStart += DAY) {
    const date = new Date(dayStart);
    const d: LocalDay = {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      weekday: date.getUTCDay() + 1,
      daysInMonth: new Date(
        Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0),
      ).getUTCDate(),
    };
    if (
      !years.has(d.year) ||
      !months.has(d.month) ||
      !dayOfMonthMatches(dom, d) ||
      !dayOfWeekMatches(dow, d)
    )
      continue;
    for (const h of hours) {
      for (const mi of minutes) {
        const t = toUtc(dayStart + h * HOUR + mi * MINUTE, offset);
        if (t !== undefined && t >= from && t < until) out.push(t);
      }
    }
  }
  return out;
}

/**
 * The worst-case recovery point objective of these schedules, in hours: the longest time from
 * one run (of any of them) to the next, over a year in `timezone`.
 */
export function worstCaseRpoHours(expressions: readonly string[], timezone: string): number {
  if (expressions.length === 0)
    throw new Error("no schedules: a backup that never runs has no RPO");
  const all = [...new Set(expressions.flatMap((e) => runs(e, timezone)))].sort((a, b) => a - b);
  if (all.length < 2) {
    throw new Error(
      `the schedules run ${all.length === 0 ? "never" : "once"} in a year: ${expressions.join(", ")}`,
    );
  }
  let gap = 0;
  for (let i = 1; i < all.length; i++) gap = Math.max(gap, all[i] - all[i - 1]);
  return gap / HOUR;
}
