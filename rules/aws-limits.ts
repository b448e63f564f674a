// Limits AWS documents for fields this program sets, checked before AWS refuses them. Each
// check returns the problems it finds, each naming the field, the limit and the value.

/** A numeric field's documented inclusive range. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/**
 * ECS container health checks
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html):
 * interval 5-300 s, timeout 2-120 s, retries 1-10, startPeriod 0-300 s.
 */
export const ECS_HEALTH_CHECK_LIMITS: Readonly<Record<string, Range>> = {
  interval: { min: 5, max: 300 },
  timeout: { min: 2, max: 120 },
  retries: { min: 1, max: 10 },
  startPeriod: { min: 0, max: 300 },
};

/** `value` against `range`, as `<field> <value> is outside min-max (source)`. */
function outside(field: string, value: unknown, range: Range, source: string): string[] {
  if (value === undefined) return [];
  if (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= range.min &&
    value <= range.max
  )
    return [];
  return [`${field} ${JSON.stringify(value)} is outside ${range.min}-${range.max} (${source})`];
}

interface ContainerDefinition {
  readonly name?: string;
  readonly healthCheck?: Record<string, unknown>;
}

/** What ECS's RegisterTaskDefinition would refuse in these container definitions' health checks. */
export function containerDefinitionProblems(containers: readonly ContainerDefinition[]): string[] {
  const problems: string[] = [];
  for (const c of containers) {
    const hc = c.healthCheck;
    if (!hc) continue;
    for (const [field, range] of Object.entries(ECS_HEALTH_CHECK_LIMITS)) {
      problems.push(
        ...outside(
          `container ${c.name} healthCheck.${field}`,
          hc[field],
          range,
          "ECS HealthCheck API reference",
        ),
      );
    }
  }
  return problems;
}
