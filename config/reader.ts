import { CONFIG_KEYS, ConfigValue, qualify } from "./schema";

/** One problem with one key: rendered as `gad:key: rule (got value)`. */
export interface ConfigProblem {
  readonly key: string;
  readonly rule: string;
  readonly got?: unknown;
}

export function formatProblem(p: ConfigProblem): string {
  return "got" in p
    ? `${qualify(p.key)}: ${p.rule} (got ${show(p.got)})`
    : `${qualify(p.key)}: ${p.rule}`;
}

/**
 * A value as the user wrote it. The engine passes every value as a string ("30", '["a"]'), so
 * a string that is the JSON of a number, boolean, list or object is shown unquoted.
 */
function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") {
    try {
      if (typeof JSON.parse(value) !== "string") return value;
    } catch {
      // not JSON: a plain string
    }
  }
  return JSON.stringify(value) ?? String(value);
}

const NO_VALUE = Symbol("no value");

type Check<T> = (value: T) => string | undefined;

/**
 * Reads typed values out of raw Pulumi configuration, applying the schema's defaults and
 * recording every problem instead of stopping at the first. A reader method returns
 * `undefined` when the key is invalid, so later relation checks can skip it.
 *
 * Raw values come as strings from the Pulumi engine ("30", "true", '["a"]') or as native YAML
 * values from a stack file; both are accepted.
 */
export class ConfigReader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly raw: Readonly<Record<string, unknown>>) {}

  /** Records a problem; `got` is the offending value, left out when there is none to show. */
  fail(key: string, rule: string, got: unknown = NO_VALUE): undefined {
    this.problems.push(got === NO_VALUE ? { key, rule } : { key, rule, got });
    return undefined;
  }

  /** The raw value, or the schema default when the key is absent. */
  private value(key: string): unknown {
    const qualified = qualify(key);
    if (qualified in this.raw) return this.raw[qualified];
    const spec = CONFIG_KEYS[key];
    if (!spec) throw new Error(`internal: ${key} is not in CONFIG_KEYS`);
    return spec.default as ConfigValue;
  }

  /** An integer from `min` to `max` (no upper bound when `max` is omitted). */
  integer(key: string, min: number, max = Infinity): number | undefined {
    const v = this.value(key);
    const n =
      typeof v === "number"
        ? v
        : typeof v === "string" && /^-?\d+$/.test(v.trim())
          ? Number(v)
          : NaN;
    const rule =
      max === Infinity
        ? `must be an integer >= ${min}`
        : `must be an integer from ${min} to ${max}`;
    if (!Number.isInteger(n) || n < min) return this.fail(key, rule, v);
    if (n > max) return this.fail(key, `must be an integer <= ${max}`, v);
    return n;
  }

  boolean(key: string): boolean | undefined {
    const v = this.value(key);
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    return this.fail(key, "must be true or false", v);
  }

  string(key: string, check?: Check<string>): string | undefined {
    const v = this.value(key);
    if (typeof v !== "string") return this.fail(key, "must be a string", v);
    const problem = check?.(v);
    return problem ? this.fail(key, problem, v) : v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.value(key);
    if (typeof v === "string" && (allowed as readonly string[]).includes(v)) return v as T;
    return this.fail(key, `must be one of ${allowed.join(", ")}`, v);
  }

  /** An object (a map), from YAML or from the engine's JSON string. */
  object(key: string): Record<string, unknown> | undefined {
    let v = this.value(key);
    if (typeof v === "string") {
      try {
        v = JSON.parse(v);
      } catch {
        return this.fail(key, "must be an object (a map of names to settings)", v);
      }
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      return this.fail(key, "must be an object (a map of names to settings)", v);
    }
    return v as Record<string, unknown>;
  }

  /** A list of strings; each item is checked and reported as `key[i]`. */
  list(key: string, check: Check<string>, opts: { minItems?: number } = {}): string[] | undefined {
    let v = this.value(key);
    if (typeof v === "string") {
      try {
        v = JSON.parse(v);
      } catch {
        return this.fail(key, 'must be a list, e.g. ["a", "b"]', v);
      }
    }
    if (!Array.isArray(v)) return this.fail(key, 'must be a list, e.g. ["a", "b"]', v);
    const minItems = opts.minItems ?? 0;
    if (v.length < minItems) return this.fail(key, `must have at least ${minItems} item(s)`, v);
    let ok = true;
    v.forEach((item: unknown, i: number) => {
      const problem = typeof item === "string" ? check(item) : "must be a string";
      if (problem) {
        ok = false;
        this.fail(`${key}[${i}]`, problem, item);
      }
    });
    const duplicates = v.filter((item: unknown, i: number) => v.indexOf(item) !== i);
    if (duplicates.length > 0) {
      ok = false;
      this.fail(key, "must not repeat an item", duplicates[0]);
    }
    return ok ? (v as string[]) : undefined;
  }
}
