// Pure validators for configuration values. Each returns undefined when the value is valid, or
// the rule it breaks, phrased to complete "<key>: ..." and say what to write instead.

/** Fargate task sizes: CPU units → allowed memory in MiB. */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Which of the pair is wrong, and why; undefined for a valid Fargate size. */
export function checkFargateSize(
  cpu: number,
  memory: number,
): { field: "cpu" | "memory"; rule: string } | undefined {
  const allowed = FARGATE_SIZES[cpu];
  if (!allowed) {
    return {
      field: "cpu",
      rule: `must be a Fargate CPU value: ${Object.keys(FARGATE_SIZES).join(", ")}`,
    };
  }
  if (!allowed.includes(memory)) {
    const step = allowed[1] - allowed[0];
    const shown =
      allowed.length > 3
        ? `${allowed[0]} to ${allowed[allowed.length - 1]} in steps of ${step}`
        : allowed.join(", ");
    return {
      field: "memory",
      rule: `is not a valid Fargate memory for cpu ${cpu}: use ${shown} MiB`,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------- network

const PRIVATE_RANGES: readonly [string, number][] = [
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["100.64.0.0", 10],
];

export function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Parses `a.b.c.d/n` strictly (no host bits set). */
export function parseCidr(cidr: string): { base: number; prefix: number } | string {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  const base = m ? ipv4ToNumber(m[1]) : undefined;
  const prefix = m ? Number(m[2]) : NaN;
  if (base === undefined || !(prefix >= 0 && prefix <= 32)) {
    return "must be an IPv4 CIDR such as 10.40.0.0/16";
  }
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    const network = base - (base % size);
    return `has host bits set: the network address is ${numberToIpv4(network)}/${prefix}`;
  }
  return { base, prefix };
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

export function checkVpcCidr(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  if (typeof parsed === "string") return parsed;
  if (parsed.prefix < 16 || parsed.prefix > 24) {
    return "must have a prefix from /16 to /24 (room for public and private subnets in each AZ)";
  }
  const inside = PRIVATE_RANGES.some(([net, bits]) => {
    const size = 2 ** (32 - bits);
    const start = ipv4ToNumber(net) as number;
    return parsed.base >= start && parsed.base < start + size;
  });
  return inside
    ? undefined
    : "must be inside a private range: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10";
}

// ---------------------------------------------------------------- images and names

const GHCR_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const GHCR_REPOSITORY = new RegExp(
  `^ghcr\\.io/[a-z0-9](?:[a-z0-9-]{0,38})/${GHCR_COMPONENT}(?:/${GHCR_COMPONENT})*$`,
);

/** `ghcr.io/<owner>/<name>[/<more>]` in lower case, without tag or digest. */
export function checkGhcrRepository(ref: string): string | undefined {
  if (/[@]|:[^/]*$/.test(ref.replace(/^ghcr\.io/, ""))) {
    return "must name the repository only; put the tag in the matching imageTag key";
  }
  if (GHCR_REPOSITORY.test(ref)) return undefined;
  if (GHCR_REPOSITORY.test(ref.toLowerCase())) {
    return `must be lower case (ghcr.io rejects upper case): use ${ref.toLowerCase()}`;
  }
  return "must be a GHCR repository ghcr.io/<owner>/<name> in lower case";
}

/** A Docker tag: up to 128 characters of [A-Za-z0-9_.-], not starting with . or -. */
export function checkImageTag(tag: string): string | undefined {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)
    ? undefined
    : "must be an image tag (letters, digits, _ . -; up to 128 characters), e.g. master or 1.2.3";
}

export function checkGithubRepository(repo: string): string | undefined {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/.test(repo)
    ? undefined
    : "must be a GitHub repository as owner/name";
}

/** A user login (`octocat`) or a team (`org/team-slug`). */
export function checkGithubReviewer(reviewer: string): string | undefined {
  return /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}(\/[a-z0-9][a-z0-9_-]*)?$/.test(reviewer)
    ? undefined
    : "must be a GitHub user login or a team as org/team-slug";
}

/** An S3 key prefix without leading or trailing slash, made of safe characters. */
export function checkKeyPrefix(prefix: string): string | undefined {
  if (!/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(prefix) || prefix.length > 256) {
    return "must be an S3 key prefix such as backups or db/backups (no leading or trailing /, no spaces)";
  }
  return undefined;
}

export function checkAwsRegion(region: string): string | undefined {
  return /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(region)
    ? undefined
    : "must be an AWS region such as sa-east-1 or us-east-1";
}

export function checkStackName(stack: string): string | undefined {
  return /^[a-z][a-z0-9-]{0,30}$/.test(stack)
    ? undefined
    : "must be lower case letters, digits and -, starting with a letter (it names resources)";
}

/** A Docker Hub (`postgis/postgis`) or registry-qualified repository, without tag or digest. */
export function checkImageRepository(ref: string): string | undefined {
  if (/@|:[^/]*$/.test(ref)) {
    return "must name the repository only; put the tag in the matching tag key";
  }
  return /^(?:[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(
    ref,
  )
    ? undefined
    : "must be an image repository such as postgis/postgis or public.ecr.aws/owner/name, lower case";
}

// ---------------------------------------------------------------- database and operations

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export function checkLogRetentionDays(days: number): string | undefined {
  return (LOG_RETENTION_DAYS as readonly number[]).includes(days)
    ? undefined
    : `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}`;
}

/** A PostgreSQL major version RDS offers and the application supports (15 or later). */
export function checkPostgresMajorVersion(version: string): string | undefined {
  return /^(1[5-9])$/.test(version)
    ? undefined
    : "must be a PostgreSQL major version from 15 (the application's) on, e.g. 15 or 16; RDS applies minor versions";
}

export function checkRdsInstanceClass(value: string): string | undefined {
  return /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value)
    ? undefined
    : "must be an RDS instance class such as db.t4g.small or db.m7g.large";
}

/** A database or user name that needs no quoting: lower case, digits and _, up to 63 bytes. */
export function checkSqlIdentifier(name: string): string | undefined {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name)
    ? undefined
    : "must be a lower case SQL identifier (letters, digits, _; starting with a letter or _)";
}

/** A plain e-mail address, as SNS accepts for an `email` subscription. */
export function checkEmail(address: string): string | undefined {
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)
    ? undefined
    : "must be an e-mail address such as ops@example.org";
}

// ---------------------------------------------------------------- suggestions

export function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest known key, if it is close enough to be a plausible typo. */
export function suggest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = levenshtein(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const tolerance = Math.max(2, Math.floor(key.length / 4));
  return bestDistance <= tolerance ? best : undefined;
}
