// Smoke checks after a deploy: each path must answer 200, retried while the service settles.

/** The application's checks (DESIGN.md): liveness, readiness with the database, metrics. */
export const SMOKE_PATHS = ["/health", "/api/v1/health/ready", "/metrics"];

export interface SmokeOptions {
  readonly attempts: number;
  readonly delayMs: number;
  /** Per request. */
  readonly timeoutMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_SMOKE: SmokeOptions = { attempts: 10, delayMs: 6000, timeoutMs: 5000 };

export interface SmokeResult {
  readonly path: string;
  readonly ok: boolean;
  readonly attempts: number;
  /** The last status or error seen. */
  readonly last: string;
}

/** Requests `baseUrl + path` until it answers 200 or the attempts run out. */
export async function checkPath(
  baseUrl: string,
  path: string,
  o: SmokeOptions,
): Promise<SmokeResult> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last = "not tried";
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    try {
      const response = await fetch(new URL(path, baseUrl), {
        signal: AbortSignal.timeout(o.timeoutMs),
        redirect: "follow",
      });
      await response.arrayBuffer();
      last = `HTTP ${response.status}`;
      if (response.status === 200) return { path, ok: true, attempts: attempt, last };
    } catch (err) {
      const e = err as Error;
      last = e.name === "TimeoutError" ? `no answer within ${o.timeoutMs} ms` : e.message;
    }
    if (attempt < o.attempts) await sleep(o.delayMs);
  }
  return { path, ok: false, attempts: o.attempts, last };
}

/** Every smoke path against `baseUrl`; one line per path for the log. */
export async function smoke(baseUrl: string, o: SmokeOptions = DEFAULT_SMOKE, paths = SMOKE_PATHS) {
  const results = await Promise.all(paths.map((p) => checkPath(baseUrl, p, o)));
  const lines = results.map(
    (r) => `${r.ok ? "ok  " : "FAIL"} ${r.path}: ${r.last} after ${r.attempts} attempt(s)`,
  );
  return { ok: results.every((r) => r.ok), results, lines };
}
