// Pure validators for EventBridge Scheduler settings: schedule expressions and time zones. Each
// returns undefined when the value is valid, or the rule it breaks, phrased to complete
// "<key>: ..." and say what to write instead.

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

/** Names cron accepts for months and days of the week, in order (JAN = 1, SUN = 1). */
export const MONTHS = [
  "JAN",
  "FEB",
  "MAR",
  "APR",
  "MAY",
  "JUN",
  "JUL",
  "AUG",
  "SEP",
  "OCT",
  "NOV",
  "DEC",
];
export const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const CRON_FIELDS: readonly CronField[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 1, max: 7, names: DAYS },
  { name: "year", min: 1970, max: 2199 },
];

const CRON_HINT =
  "write cron(minutes hours day-of-month month day-of-week year) with ? in day-of-month or day-of-week, e.g. cron(0 1 * * ? *)";

/** Validates an EventBridge Scheduler schedule expression for a recurring schedule. */
export function checkScheduleExpression(expr: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expr);
  if (rate) return checkRate(rate[1]);
  if (/^at\(/.test(expr))
    return "must be a recurring schedule: at() runs only once; use cron() or rate()";
  const cron = /^cron\((.*)\)$/.exec(expr);
  if (!cron) return `must be an EventBridge Scheduler expression: ${CRON_HINT}`;
  const fields = cron[1].trim().split(/\s+/);
  if (fields.length !== 6) {
    return `must have 6 cron fields, found ${fields.length}: ${CRON_HINT}`;
  }
  const [dom, dow] = [fields[2], fields[4]];
  if ((dom === "?") === (dow === "?")) {
    return `must have ? in exactly one of day-of-month and day-of-week: ${CRON_HINT}`;
  }
  for (let i = 0; i < 6; i++) {
    const problem = checkCronField(fields[i], CRON_FIELDS[i]);
    if (problem) return `cron ${CRON_FIELDS[i].name} field "${fields[i]}" ${problem}`;
  }
  return undefined;
}

function checkRate(body: string): string | undefined {
  const m = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body.trim());
  if (!m || Number(m[1]) < 1)
    return "must be rate(<positive integer> minutes|hours|days), e.g. rate(12 hours)";
  const n = Number(m[1]);
  const plural = m[2].endsWith("s");
  if (n === 1 && plural) return `must use the singular unit for 1: rate(1 ${m[2].slice(0, -1)})`;
  if (n > 1 && !plural) return `must use the plural unit: rate(${n} ${m[2]}s)`;
  return undefined;
}

function checkCronField(field: string, spec: CronField): string | undefined {
  if (field === "?") {
    return spec.name === "day-of-month" || spec.name === "day-of-week" ? undefined : "may not be ?";
  }
  for (const item of field.split(",")) {
    const problem = checkCronItem(item, spec);
    if (problem) return problem;
  }
  return undefined;
}

function checkCronItem(item: string, spec: CronField): string | undefined {
  if (spec.name === "day-of-month" && /^(L|LW|L-\d{1,2}|\d{1,2}W)$/.test(item)) {
    const n = /\d+/.exec(item);
    return n && (Number(n[0]) < 1 || Number(n[0]) > 31) ? "is out of range 1-31" : undefined;
  }
  if (spec.name === "day-of-week") {
    const special = /^([1-7]|[A-Z]{3})(L|#[1-5])$/.exec(item);
    if (special) return checkCronValue(special[1], spec);
    if (item === "L") return undefined;
  }
  const [base, step] = item.split("/", 2);
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return "has an invalid step (after /)";
  if (item.split("/").length > 2) return "has more than one /";
  if (base === "*") return undefined;
  const bounds = base.split("-");
  if (bounds.length > 2) return "has an invalid range";
  for (const b of bounds) {
    const problem = checkCronValue(b, spec);
    if (problem) return problem;
  }
  return undefined;
}

function checkCronValue(value: string, spec: CronField): string | undefined {
  if (spec.names?.includes(value.toUpperCase())) return undefined;
  if (!/^\d+$/.test(value)) return `has an invalid value "${value}"`;
  const n = Number(value);
  if (n < spec.min || n > spec.max) return `is out of range ${spec.min}-${spec.max}`;
  return undefined;
}

/** A real IANA time zone name as EventBridge Scheduler accepts it (case-sensitive). */
export function checkTimezone(tz: string): string | undefined {
  const rule = "must be an IANA time zone name such as UTC or America/Argentina/Buenos_Aires";
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return rule;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
  } catch {
    return rule;
  }
  return undefined;
}
