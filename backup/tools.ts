// The PostgreSQL client programs: where they are, which version they are, and how they run.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { JobError } from "./errors";

export type Tool = "pg_dump" | "pg_restore";

/** `$PG_BIN_DIR/<tool>` when set, else the tool from PATH. */
export function toolPath(tool: Tool, env: NodeJS.ProcessEnv): string {
  return env.PG_BIN_DIR ? path.join(env.PG_BIN_DIR, tool) : tool;
}

export interface ToolVersion {
  readonly text: string;
  readonly major: number;
}

/** Parses `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` → 15.18, major 15. */
export function parseToolVersion(output: string): ToolVersion | undefined {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(output);
  if (!m) return undefined;
  return { text: [m[1], m[2], m[3]].filter((x) => x !== undefined).join("."), major: Number(m[1]) };
}

/** Major version from `server_version_num`: 150018 → 15. */
export function serverMajor(versionNum: number): number {
  return Math.floor(versionNum / 10000);
}

export async function toolVersion(tool: Tool, env: NodeJS.ProcessEnv): Promise<ToolVersion> {
  const file = toolPath(tool, env);
  const { code, stdout, stderr } = await run(file, ["--version"], env);
  const version = code === 0 ? parseToolVersion(stdout) : undefined;
  if (!version) {
    throw new JobError(
      `cannot run ${file} --version (${stderr.trim() || `exit ${code}`}): install the PostgreSQL client or set PG_BIN_DIR`,
    );
  }
  return version;
}

/**
 * Fails before any work when the client is older than what it must read: a pg_dump older than
 * the server cannot dump it, a pg_restore older than the archive's pg_dump cannot read it.
 */
export function checkClientVersion(
  tool: Tool,
  client: ToolVersion,
  requiredMajor: number,
  against: string,
): void {
  if (client.major < requiredMajor) {
    throw new JobError(
      `${tool} ${client.text} is older than ${against}: use ${tool} ${requiredMajor} or newer (install it, or set PG_BIN_DIR)`,
    );
  }
}

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (err) => resolve({ code: -1, stdout, stderr: err.message }));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Keeps the last lines a child wrote to stderr, for the one-line error. */
export class StderrTail {
  private text = "";
  constructor(private readonly maxChars = 4000) {}
  push(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.maxChars);
  }
  lastLine(): string {
    const lines = this.text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    return lines[lines.length - 1] ?? "";
  }
}

export interface Running {
  readonly child: ChildProcess;
  readonly stderr: StderrTail;
  /** Resolves with the exit code, or the signal's name when killed. */
  readonly exit: Promise<number | string>;
}

/**
 * Starts `tool`, found through the job's own environment `jobEnv`, with `childEnv`: the
 * connection travels in libpq variables there, never in arguments.
 */
export function start(
  tool: Tool,
  args: string[],
  jobEnv: NodeJS.ProcessEnv,
  childEnv: NodeJS.ProcessEnv,
  stdin: "pipe" | "ignore",
): Running {
  const child = spawn(toolPath(tool, jobEnv), args, {
    env: childEnv,
    stdio: [stdin, "pipe", "pipe"],
  });
  const stderr = new StderrTail();
  child.stderr?.on("data", (d: Buffer) => stderr.push(d));
  const exit = new Promise<number | string>((resolve) => {
    child.on("error", (err) => {
      stderr.push(`${err.message}\n`);
      resolve(-1);
    });
    child.on("close", (code, signal) => resolve(code ?? signal ?? -1));
  });
  return { child, stderr, exit };
}

/** Stops a child: SIGTERM, then SIGKILL if it lingers. */
export function stop(running: Running, graceMs = 5000): void {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill("SIGTERM");
  const timer = setTimeout(() => running.child.kill("SIGKILL"), graceMs);
  timer.unref();
  void running.exit.then(() => clearTimeout(timer));
}
