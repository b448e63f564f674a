// Runs gad-backup as a separate process, from the same single-file bundle the job's image runs.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildSync } from "esbuild";
import { ROOT } from "./stack-files";

let bundle: string | undefined;

/** The Node.js major the project runs on (.nvmrc); the job's image and its bundle target it. */
export const NODE_MAJOR = fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim().split(".")[0];

/** Bundles backup/cli.ts once per test run (as the Dockerfile does, for the same Node.js). */
export function cliBundle(): string {
  if (bundle) return bundle;
  const out = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), "gad-backup-bundle-")),
    "gad-backup.js",
  );
  buildSync({
    entryPoints: [path.join(ROOT, "backup", "cli.ts")],
    bundle: true,
    platform: "node",
    target: `node${NODE_MAJOR}`,
    outfile: out,
    logLevel: "error",
    // node-postgres loads its optional native binding lazily; the pure-JS client is used.
    external: ["pg-native"],
  });
  bundle = out;
  return out;
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Only what a container would get: the test's variables, PATH and HOME. */
export function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...extra,
  };
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly result: Promise<CliResult>;
  /** What the job has written to stderr so far. */
  stderrSoFar(): string;
}

export function startCli(args: string[], env: Record<string, string | undefined>): RunningCli {
  const child = spawn(process.execPath, [cliBundle(), ...args], {
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => (stdout += d));
  child.stderr?.on("data", (d) => (stderr += d));
  const result = new Promise<CliResult>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, result, stderrSoFar: () => stderr };
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<CliResult> {
  return startCli(args, env).result;
}

/** The last non-JSON line on stderr: the job's one-line verdict. */
export function verdict(result: CliResult): string {
  const lines = result.stderr.split("\n").filter((l) => l.trim() && !l.startsWith("{"));
  return lines[lines.length - 1] ?? "";
}

/** Parsed JSON log events from stderr. */
export function events(result: CliResult): { event: string; [k: string]: unknown }[] {
  return result.stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}
