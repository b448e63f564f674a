// npm run bootstrap -- --region R --github-owner O --repos a,b --stacks staging,production [--dry-run]
//
// Once per account, idempotent: the Pulumi state bucket, the KMS key for stack secrets, the
// account's GitHub OIDC provider and the state policies the stacks' CI roles attach; then the
// `pulumi login` and `pulumi stack init` commands (run when a pulumi CLI is on PATH), and every
// secret each stack still needs. A second run changes nothing; --dry-run changes nothing.
import { execFileSync } from "child_process";
import { parseArgs } from "util";
import { S3Client } from "@aws-sdk/client-s3";
import { KMSClient } from "@aws-sdk/client-kms";
import { IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { SECRET_KEYS } from "../config/schema";
import { checkAwsRegion, checkGithubReviewer, checkStackName } from "../rules/names";
import { isSecretRequired } from "../config/stack-config";
import {
  BootstrapConflict,
  Clients,
  Context,
  SECRETS_ALIAS,
  ensureGithubOidcProvider,
  ensureSecretsKey,
  ensureStatePolicies,
} from "./bootstrap-steps";
import { ensureStateBucket } from "./bootstrap-bucket";
import { committedStacks, engineConfig } from "./lib/stack-files";

export interface BootstrapOptions {
  readonly region: string;
  readonly githubOwner: string;
  readonly repos: string[];
  readonly stacks: string[];
  readonly dryRun: boolean;
  /** Run the pulumi commands when a CLI is on PATH (otherwise print them). @default true */
  readonly runPulumi?: boolean;
}

/** Every problem with the arguments, each naming the flag. */
export function parseOptions(argv: string[]): BootstrapOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      region: { type: "string" },
      "github-owner": { type: "string" },
      repos: { type: "string" },
      stacks: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
  });
  const problems: string[] = [];
  const list = (v: string | undefined) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const region = values.region ?? "";
  const owner = values["github-owner"] ?? "";
  const repos = list(values.repos);
  const stacks = list(values.stacks);
  if (checkAwsRegion(region))
    problems.push(`--region ${checkAwsRegion(region)} (got ${JSON.stringify(region)})`);
  if (!owner || owner.includes("/") || checkGithubReviewer(owner))
    problems.push(
      `--github-owner must be a GitHub user or organization (got ${JSON.stringify(owner)})`,
    );
  if (repos.length === 0)
    problems.push("--repos must name the repositories, comma-separated (e.g. GRUPO_GAD,gad-infra)");
  for (const r of repos)
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(r))
      problems.push(`--repos: ${JSON.stringify(r)} is not a repository name`);
  if (stacks.length === 0)
    problems.push("--stacks must name the stacks, comma-separated (e.g. staging,production)");
  for (const s of stacks) {
    if (checkStackName(s)) problems.push(`--stacks: ${s} ${checkStackName(s)}`);
    else if (!committedStacks().includes(s))
      problems.push(`--stacks: there is no Pulumi.${s}.yaml`);
  }
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  return { region, githubOwner: owner, repos, stacks, dryRun: values["dry-run"] ?? false };
}

export class UsageError extends Error {}

/** AWS clients for the region (AWS_ENDPOINT_URL points them at an emulator in tests). */
export function awsClients(region: string): Clients & { sts: STSClient } {
  const endpoint = process.env.AWS_ENDPOINT_URL || undefined;
  const common = { region, endpoint };
  return {
    s3: new S3Client({ ...common, forcePathStyle: endpoint !== undefined }),
    kms: new KMSClient(common),
    iam: new IAMClient(common),
    sts: new STSClient(common),
  };
}

/** The secrets each stack still needs, as the commands that set them. */
export function secretsToSet(stacks: readonly string[]): string[] {
  return stacks.flatMap((stack) => {
    const { config } = engineConfig(stack);
    return Object.keys(SECRET_KEYS)
      .filter((key) => isSecretRequired(key, config) && !(`gad:${key}` in config))
      .map((key) => `pulumi config set --secret --stack ${stack} ${key}`);
  });
}

export async function bootstrap(o: BootstrapOptions, log: (line: string) => void): Promise<void> {
  const clients = awsClients(o.region);
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  const account = identity.Account as string;
  log(`account ${account}, region ${o.region}${o.dryRun ? " (dry run: nothing is changed)" : ""}`);
  const ctx: Context = {
    clients,
    account,
    region: o.region,
    dryRun: o.dryRun,
    log: (l) => log(`  ${l}`),
  };
  const keyArn = await ensureSecretsKey(ctx);
  const bucket = await ensureStateBucket(ctx, keyArn);
  await ensureGithubOidcProvider(ctx);
  await ensureStatePolicies(ctx, bucket, keyArn);

  const backend = `s3://${bucket}?region=${o.region}`;
  const secretsProvider = `awskms://${SECRETS_ALIAS}?region=${o.region}`;
  const commands = [
    ["pulumi", "login", backend],
    ...o.stacks.map((s) => ["pulumi", "stack", "init", s, "--secrets-provider", secretsProvider]),
  ];
  const pulumi = !o.dryRun && (o.runPulumi ?? true) && hasPulumi();
  log(pulumi ? "pulumi:" : "then run:");
  for (const command of commands) {
    log(`  ${command.join(" ")}`);
    if (pulumi) runTolerant(command);
  }
  log("GitHub repository variables (this repository's workflows read them):");
  log(
    `  gh variable set PULUMI_BACKEND_URL --repo ${o.githubOwner}/${o.repos.at(-1)} --body '${backend}'`,
  );
  log(`  gh variable set AWS_REGION --repo ${o.githubOwner}/${o.repos.at(-1)} --body ${o.region}`);
  const secrets = secretsToSet(o.stacks);
  log(
    secrets.length > 0
      ? "secrets still to set (each prompts for its value):"
      : "no secret is missing",
  );
  for (const s of secrets) log(`  ${s}`);
}

function hasPulumi(): boolean {
  try {
    execFileSync("pulumi", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Runs a pulumi command; a stack that already exists is not an error. */
function runTolerant(command: string[]): void {
  try {
    execFileSync(command[0], command.slice(1), { stdio: "pipe" });
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? "");
    if (!/already exists/.test(stderr))
      throw new Error(`${command.join(" ")} failed: ${stderr.trim()}`);
  }
}

function printLine(line: string): void {
  process.stdout.write(line + "\n");
}

export async function main(
  argv: string[],
  out: (line: string) => void = printLine,
): Promise<number> {
  let options: BootstrapOptions;
  try {
    options = parseOptions(argv);
  } catch (err) {
    process.stderr.write(`bootstrap: ${(err as Error).message}\n`);
    return 2;
  }
  try {
    await bootstrap(options, out);
    return 0;
  } catch (err) {
    const e = err as Error;
    const why = err instanceof BootstrapConflict ? e.message : `${e.name}: ${e.message}`;
    process.stderr.write(`bootstrap: ${why}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
