// Typed reads of the fields of one entry of an object-valued key (a service of `services`),
// each problem reported under the field's path.
import { ConfigReader } from "./reader";

/** Typed reads of one service's fields, each problem named `services.<name>.<field>`. */
export class FieldReader {
  constructor(
    private readonly r: ConfigReader,
    private readonly key: string,
    private readonly v: Record<string, unknown>,
  ) {}

  private fail<T>(field: string, rule: string, fallback: T): T {
    this.r.fail(`${this.key}.${field}`, rule, this.v[field]);
    return fallback;
  }

  integer(field: string, fallback: number, min: number, max: number): number {
    const value = this.v[field];
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      return this.fail(field, `must be an integer from ${min} to ${max}`, fallback);
    }
    return value as number;
  }

  optionalInteger(field: string, min: number, max: number): number | undefined {
    return this.v[field] === undefined ? undefined : this.integer(field, min, min, max);
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.v[field];
    if (value === undefined) return fallback;
    return typeof value === "boolean" ? value : this.fail(field, "must be true or false", fallback);
  }

  string(
    field: string,
    fallback: string | undefined,
    check?: (v: string) => string | undefined,
  ): string {
    const value = this.v[field] ?? fallback;
    if (value === undefined) return this.fail(field, "is required", "");
    if (typeof value !== "string") return this.fail(field, "must be a string", "");
    const problem = check?.(value);
    return problem ? this.fail(field, problem, value) : value;
  }

  optionalString(field: string, check: (v: string) => string | undefined): string | undefined {
    return this.v[field] === undefined ? undefined : this.string(field, undefined, check);
  }

  optionalList(field: string, check?: (v: string) => string | undefined): string[] | undefined {
    const value = this.v[field];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
      return this.fail(field, "must be a list of strings", undefined);
    }
    for (const item of value as string[]) {
      const problem = check?.(item);
      if (problem) this.r.fail(`${this.key}.${field}`, problem, item);
    }
    return value as string[];
  }

  map(
    field: string,
    check: (name: string, value: unknown) => string | undefined,
  ): Record<string, string> {
    const value = this.v[field];
    if (value === undefined) return {};
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return this.fail(field, "must be a map of NAME: value", {});
    }
    const out: Record<string, string> = {};
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      const problem = check(name, item);
      if (problem) this.r.fail(`${this.key}.${field}.${name}`, problem, item);
      else out[name] = item as string;
    }
    return out;
  }
}
