// Structured output. Log events are JSON lines on stderr (CloudWatch keeps both streams; stdout
// stays free for command results such as `list --json`). Metrics are CloudWatch Embedded Metric
// Format lines, which CloudWatch Logs turns into metrics with no extra permission.

export type Fields = Record<string, unknown>;

export interface Logger {
  info(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
}

export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const emit = (level: string, event: string, fields: Fields = {}) =>
    write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
  return {
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
  };
}

export const DEFAULT_METRIC_NAMESPACE = "GAD/Backups";

export interface Metric {
  readonly name: string;
  readonly value: number;
  readonly unit: "Count" | "Bytes" | "Seconds";
}

/** One EMF document: the metrics, with the given dimensions, in `namespace`. */
export function emfLine(
  namespace: string,
  dimensions: Record<string, string>,
  metrics: readonly Metric[],
  at: Date = new Date(),
): string {
  const doc: Record<string, unknown> = {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    ...dimensions,
  };
  for (const m of metrics) doc[m.name] = m.value;
  return JSON.stringify(doc);
}

/** This process's peak resident memory so far (the task's memory setting must exceed it). */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Throughput and progress figures for log lines. */
export function progressFields(bytes: number, startedAt: number, now: number): Fields {
  const seconds = Math.max(0.001, (now - startedAt) / 1000);
  return {
    bytes,
    elapsedSeconds: Math.round(seconds * 10) / 10,
    mbPerSecond: Math.round((bytes / 1e6 / seconds) * 10) / 10,
  };
}
