// The shape of `pulumi preview --json` (PreviewDigest in pulumi/sdk/go/common/display/json.go),
// as far as the summaries read it.

export interface ResourceState {
  readonly urn?: string;
  readonly type?: string;
  readonly id?: string;
  readonly protect?: boolean;
}

export interface PreviewStep {
  /** same, create, update, delete, replace, create-replacement, delete-replaced, read, refresh, ... */
  readonly op: string;
  readonly urn: string;
  readonly oldState?: ResourceState;
  readonly newState?: ResourceState;
  readonly diffReasons?: string[];
  readonly replaceReasons?: string[];
  readonly detailedDiff?: Record<string, { kind?: string; inputDiff?: boolean }>;
}

export interface PreviewDiagnostic {
  readonly urn?: string;
  readonly message?: string;
  readonly severity?: string;
}

export interface PreviewDigest {
  readonly steps?: PreviewStep[];
  readonly diagnostics?: PreviewDiagnostic[];
  readonly changeSummary?: Record<string, number>;
}

/** Parses preview JSON; undefined when it is not a preview document. */
export function parseDigest(text: string): PreviewDigest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const digest = value as PreviewDigest;
  if (digest.steps !== undefined && !Array.isArray(digest.steps)) return undefined;
  return digest;
}

/** `urn:pulumi:s::p::a$aws:s3/bucket:Bucket::name` → { type, name }. */
export function urnParts(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const types = (parts[2] ?? "").split("$");
  return { type: types[types.length - 1] ?? "", name: parts.slice(3).join("::") };
}

/** The operations that change something (refreshes, reads and no-ops do not). */
export const CHANGING_OPS: Readonly<Record<string, string>> = {
  create: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  delete: "delete",
  "delete-replaced": "replace",
  import: "create",
  "import-replacement": "replace",
};

/** The distinct changes: one per resource, replacements counted once. */
export function changes(digest: PreviewDigest): { kind: string; step: PreviewStep }[] {
  const seen = new Map<string, { kind: string; step: PreviewStep }>();
  for (const step of digest.steps ?? []) {
    const kind = CHANGING_OPS[step.op];
    if (!kind) continue;
    const previous = seen.get(step.urn);
    if (!previous || (kind === "replace" && previous.kind !== "replace"))
      seen.set(step.urn, { kind, step });
  }
  return [...seen.values()];
}

/** Resources whose loss loses data. */
export const STATEFUL_TYPES = [
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "aws:rds/instance:Instance",
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  "aws:secretsmanager/secret:Secret",
];
