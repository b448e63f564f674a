// The bootstrap's steps, each "find, then create or fix, or refuse": what an account needs
// once before any stack can be deployed from GitHub. AWS SDK clients are passed in (moto in the
// tests, the real account from the CLI).
import type { S3Client } from "@aws-sdk/client-s3";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
  ListAliasesCommand,
} from "@aws-sdk/client-kms";
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
} from "@aws-sdk/client-iam";
import { STATE_READ_POLICY } from "../components/github/roles";

export interface Clients {
  readonly s3: S3Client;
  readonly kms: KMSClient;
  readonly iam: IAMClient;
}

export interface Context {
  readonly clients: Clients;
  readonly account: string;
  readonly region: string;
  readonly dryRun: boolean;
  /** One line per step: "created ...", "unchanged ...", "would create ...". */
  readonly log: (line: string) => void;
}

/** A resource that exists but cannot be used as it is, with what to do about it. */
export class BootstrapConflict extends Error {}

export const SECRETS_ALIAS = "alias/gad-pulumi-secrets";
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** GitHub's published thumbprints (IAM no longer checks them for this issuer, but asks). */
export const GITHUB_THUMBPRINTS = [
  "6938fd4d98bab03faadb97b34396831e3780aea1",
  "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
];

export function stateBucketName(account: string, region: string): string {
  return `gad-pulumi-state-${account}-${region}`;
}

export const statusOf = (err: unknown) =>
  (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
export const nameOf = (err: unknown) => (err as { name?: string }).name;

/** Does `change` unless it is a dry run; logs either way. */
export async function act(
  ctx: Context,
  what: string,
  change: () => Promise<unknown>,
): Promise<void> {
  if (ctx.dryRun) return ctx.log(`would ${what}`);
  await change();
  ctx.log(`${what.replace(/^(\w+)/, (w) => (w.endsWith("e") ? `${w}d` : `${w}ed`))}`);
}

/** The KMS key Pulumi encrypts stack secrets with, found by its alias or created. */
export async function ensureSecretsKey(ctx: Context): Promise<string> {
  const aliases = await ctx.clients.kms.send(new ListAliasesCommand({}));
  const alias = aliases.Aliases?.find((a) => a.AliasName === SECRETS_ALIAS);
  if (alias?.TargetKeyId) {
    const key = await ctx.clients.kms.send(new DescribeKeyCommand({ KeyId: alias.TargetKeyId }));
    const state = key.KeyMetadata?.KeyState;
    if (state !== "Enabled") {
      throw new BootstrapConflict(
        `${SECRETS_ALIAS} points at key ${alias.TargetKeyId}, which is ${state}: enable it (aws kms enable-key / cancel-key-deletion) or delete the alias, then run the bootstrap again`,
      );
    }
    ctx.log(`unchanged ${SECRETS_ALIAS} (key ${alias.TargetKeyId})`);
    return key.KeyMetadata?.Arn as string;
  }
  let arn = `arn:aws:kms:${ctx.region}:${ctx.account}:${SECRETS_ALIAS}`;
  await act(ctx, `create the KMS key ${SECRETS_ALIAS} (rotating)`, async () => {
    const created = await ctx.clients.kms.send(
      new CreateKeyCommand({
        Description: "Pulumi stack secrets of gad-infra",
        Tags: [{ TagKey: "project", TagValue: "gad" }],
      }),
    );
    const keyId = created.KeyMetadata?.KeyId as string;
    arn = created.KeyMetadata?.Arn as string;
    await ctx.clients.kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    await ctx.clients.kms.send(
      new CreateAliasCommand({ AliasName: SECRETS_ALIAS, TargetKeyId: keyId }),
    );
  });
  return arn;
}

/** The account's one IAM OIDC provider for GitHub Actions, with the STS audience. */
export async function ensureGithubOidcProvider(ctx: Context): Promise<string> {
  const iam = ctx.clients.iam;
  const list = await iam.send(new ListOpenIDConnectProvidersCommand({}));
  const arn = list.OpenIDConnectProviderList?.map((p) => p.Arn as string).find((a) =>
    a.endsWith(`/${GITHUB_OIDC_HOST}`),
  );
  if (arn) {
    const provider = await iam.send(
      new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }),
    );
    if (provider.ClientIDList?.includes("sts.amazonaws.com")) ctx.log(`unchanged ${arn}`);
    else
      await act(ctx, `add the sts.amazonaws.com audience to ${arn}`, () =>
        iam.send(
          new AddClientIDToOpenIDConnectProviderCommand({
            OpenIDConnectProviderArn: arn,
            ClientID: "sts.amazonaws.com",
          }),
        ),
      );
    return arn;
  }
  const expected = `arn:aws:iam::${ctx.account}:oidc-provider/${GITHUB_OIDC_HOST}`;
  await act(ctx, `create the GitHub OIDC provider ${expected}`, () =>
    iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: `https://${GITHUB_OIDC_HOST}`,
        ClientIDList: ["sts.amazonaws.com"],
        ThumbprintList: GITHUB_THUMBPRINTS,
      }),
    ),
  );
  return expected;
}

/** What the CI roles may do with the state: read (previews, drift) or read and write (deploys). */
export function statePolicy(bucket: string, keyArn: string, write: boolean): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ListState",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: `arn:aws:s3:::${bucket}`,
      },
      {
        Sid: write ? "ReadWriteState" : "ReadState",
        Effect: "Allow",
        Action: write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"],
        Resource: `arn:aws:s3:::${bucket}/*`,
      },
      {
        Sid: write ? "UseSecretsKey" : "DecryptSecrets",
        Effect: "Allow",
        Action: write
          ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
          : ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: keyArn,
      },
    ],
  });
}

/** The managed policies the stacks' CI roles attach for the state (`gad-pulumi-state-*`). */
export async function ensureStatePolicies(
  ctx: Context,
  bucket: string,
  keyArn: string,
): Promise<string[]> {
  const arns: string[] = [];
  for (const [name, write] of [
    [STATE_READ_POLICY, false],
    ["gad-pulumi-state-write", true],
  ] as const) {
    const arn = `arn:aws:iam::${ctx.account}:policy/${name}`;
    const document = statePolicy(bucket, keyArn, write);
    let existing: string | undefined;
    try {
      const policy = await ctx.clients.iam.send(new GetPolicyCommand({ PolicyArn: arn }));
      const version = await ctx.clients.iam.send(
        new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.Policy?.DefaultVersionId }),
      );
      existing = decodeURIComponent(version.PolicyVersion?.Document ?? "");
    } catch (err) {
      if (nameOf(err) !== "NoSuchEntityException" && nameOf(err) !== "NoSuchEntity") throw err;
    }
    if (existing === undefined) {
      await act(ctx, `create the policy ${name}`, () =>
        ctx.clients.iam.send(
          new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document }),
        ),
      );
    } else if (JSON.stringify(JSON.parse(existing)) !== document) {
      throw new BootstrapConflict(
        `policy ${name} exists with a different document: compare it with the bootstrap's (aws iam get-policy-version) and delete it if it may be replaced`,
      );
    } else {
      ctx.log(`unchanged policy ${name}`);
    }
    arns.push(arn);
  }
  return arns;
}
