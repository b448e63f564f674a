// Drift detection: `pulumi preview --refresh --expect-no-changes --json` classified into clean,
// drift and error. An error is never reported as drift, and drift never passes as clean.
import { PreviewDigest, changes, parseDigest, urnParts } from "./preview-digest";

export type DriftVerdict =
  | { readonly kind: "clean" }
  | { readonly kind: "drift"; readonly resources: DriftedResource[] }
  | { readonly kind: "error"; readonly reason: string };

export interface DriftedResource {
  readonly type: string;
  readonly name: string;
  /** What the program would do to bring it back. */
  readonly change: string;
  /** The properties that differ. */
  readonly properties: string[];
}

/**
 * Classifies one run. `exitCode` is the CLI's: 0 means no changes; with --expect-no-changes a
 * change also exits non-zero, so only the JSON tells a change from a failure.
 */
export function classifyDrift(exitCode: number, stdout: string): DriftVerdict {
  const digest: PreviewDigest | undefined = parseDigest(stdout);
  if (!digest) {
    return { kind: "error", reason: `pulumi exited ${exitCode} without a preview document` };
  }
  const errors = (digest.diagnostics ?? []).filter((d) => d.severity === "error");
  if (errors.length > 0) {
    return { kind: "error", reason: errors.map((e) => (e.message ?? "").trim()).join("; ") };
  }
  const drifted = changes(digest).map(({ kind, step }) => ({
    ...urnParts(step.urn),
    change: kind,
    properties: [
      ...new Set([...(step.diffReasons ?? []), ...Object.keys(step.detailedDiff ?? {})]),
    ],
  }));
  if (drifted.length > 0) return { kind: "drift", resources: drifted };
  if (exitCode !== 0)
    return { kind: "error", reason: `pulumi exited ${exitCode} with no changes to report` };
  return { kind: "clean" };
}

/** The issue that tracks drift of one stack: one per stack, found by its title. */
export function driftIssueTitle(stack: string): string {
  return `Drift detected in stack ${stack}`;
}

export function driftIssueBody(
  stack: string,
  resources: readonly DriftedResource[],
  runUrl: string,
): string {
  return [
    `The cloud no longer matches the code for stack **${stack}** (${resources.length} resource(s)).`,
    "`pulumi up` would make these changes to bring it back:",
    "",
    "| resource | type | change | properties |",
    "| --- | --- | --- | --- |",
    ...resources.map(
      (r) => `| \`${r.name}\` | \`${r.type}\` | ${r.change} | ${r.properties.join(", ") || "—"} |`,
    ),
    "",
    `Found by ${runUrl}. Either run \`pulumi up --stack ${stack}\` to restore the code's state, or change the code to accept the cloud's. A clean run closes this issue.`,
  ].join("\n");
}
