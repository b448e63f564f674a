// Names and references the stack configures: images, GitHub repositories and reviewers, S3 key
// prefixes, regions, stacks, database settings, e-mail addresses.
// Each check returns undefined when the value is valid, or the rule it breaks, phrased to
// complete "<key>: ..." and say what to write instead.

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

/**
 * The longest stack name: the load balancer is named `gad-<stack>` plus Pulumi's 8-character
 * suffix, and ELB names have at most 32 characters (name-limits.ts).
 */
export const MAX_STACK_NAME_LENGTH = 20;

export function checkStackName(stack: string): string | undefined {
  if (!/^[a-z][a-z0-9-]*$/.test(stack))
    return "must be lower case letters, digits and -, starting with a letter (it names resources)";
  if (stack.length > MAX_STACK_NAME_LENGTH)
    return `must have at most ${MAX_STACK_NAME_LENGTH} characters: the load balancer's name (gad-<stack> and Pulumi's 8-character suffix) may have 32`;
  return undefined;
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
