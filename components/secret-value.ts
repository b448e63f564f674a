// A Secrets Manager secret's value, written by `pulumi up` and never read back.
//
// `aws.secretsmanager.SecretVersion` reads the value on every refresh (its read calls
// GetSecretValue), and the preview role that runs `pulumi preview --refresh` and the drift check
// may not read secret values: every refresh failed. This resource writes the value with
// PutSecretValue (under the deploy role) and its refresh only asks DescribeSecret which version is
// current (metadata, no value): a value replaced outside Pulumi shows as drift (`versionId`
// changes) and the next `pulumi up` writes the stack's value again.
// PutSecretValue: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html
// DescribeSecret (VersionIdsToStages): https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html
import * as pulumi from "@pulumi/pulumi";

export interface SecretValueInputs {
  readonly region: string;
  /** The secret's ARN. */
  readonly secretId: string;
  readonly secretString: string;
}

export interface SecretValueState extends SecretValueInputs {
  /** The version `pulumi up` wrote. */
  readonly writtenVersionId: string;
  /** The version AWS calls current (AWSCURRENT), as of the last write or refresh. */
  readonly versionId: string;
}

/** The two Secrets Manager calls the resource makes (an SDK adapter, or a fake in tests). */
export interface SecretsCalls {
  /** PutSecretValue; resolves with the new version's id. */
  put(secretId: string, secretString: string): Promise<string>;
  /** DescribeSecret: the AWSCURRENT version's id, or undefined when the secret is gone or deleted. */
  currentVersion(secretId: string): Promise<string | undefined>;
}

/** The IAM actions a refresh of this resource performs: metadata only, never the value. */
export const SECRET_VALUE_REFRESH_ACTIONS: readonly string[] = ["secretsmanager:DescribeSecret"];
/** The IAM actions `pulumi up` needs for it (with the secret's KMS key's kms:GenerateDataKey). */
export const SECRET_VALUE_WRITE_ACTIONS: readonly string[] = ["secretsmanager:PutSecretValue"];

async function write(calls: SecretsCalls, inputs: SecretValueInputs): Promise<SecretValueState> {
  const versionId = await calls.put(inputs.secretId, inputs.secretString);
  return { ...inputs, writtenVersionId: versionId, versionId };
}

/** The provider's logic over `calls` (exported for tests; the resource binds the SDK). */
export function secretValueProvider(
  callsFor: (region: string) => SecretsCalls,
): pulumi.dynamic.ResourceProvider {
  return {
    async create(inputs: SecretValueInputs) {
      const outs = await write(callsFor(inputs.region), inputs);
      return { id: `${inputs.secretId}|${outs.versionId}`, outs };
    },
    async diff(_id: string, olds: SecretValueState, news: SecretValueInputs) {
      const replaces = olds.secretId !== news.secretId ? ["secretId"] : [];
      const changed = [
        ...replaces,
        ...(olds.secretString !== news.secretString ? ["secretString"] : []),
        // Replaced outside Pulumi (seen by a refresh): write the stack's value again.
        ...(olds.versionId !== olds.writtenVersionId ? ["versionId"] : []),
      ];
      return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
    },
    async update(_id: string, _olds: SecretValueState, news: SecretValueInputs) {
      return { outs: await write(callsFor(news.region), news) };
    },
    async read(id: string, props: SecretValueState) {
      const current = await callsFor(props.region).currentVersion(props.secretId);
      // An empty id tells the engine the resource is gone (the secret was deleted).
      if (current === undefined) return { id: "", props: {} };
      return { id, props: { ...props, versionId: current } };
    },
    // Deleting the value alone is not possible in Secrets Manager (a secret always keeps its
    // AWSCURRENT version); the secret itself, a separate resource, is deleted with the stack.
    async delete() {},
  };
}

/** SecretsManagerClient behind SecretsCalls; loaded inside the provider so only it needs the SDK. */
function sdkCalls(region: string): SecretsCalls {
  type Sdk = typeof import("@aws-sdk/client-secrets-manager");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-secrets-manager") as Sdk;
  const client = new sdk.SecretsManagerClient({ region });
  return {
    async put(secretId, secretString) {
      const out = await client.send(
        new sdk.PutSecretValueCommand({ SecretId: secretId, SecretString: secretString }),
      );
      if (!out.VersionId) throw new Error(`PutSecretValue on ${secretId} returned no version`);
      return out.VersionId;
    },
    async currentVersion(secretId) {
      try {
        const out = await client.send(new sdk.DescribeSecretCommand({ SecretId: secretId }));
        if (out.DeletedDate) return undefined;
        const stages = Object.entries(out.VersionIdsToStages ?? {});
        return stages.find(([, s]) => s.includes("AWSCURRENT"))?.[0] ?? "";
      } catch (e) {
        if ((e as { name?: string }).name === "ResourceNotFoundException") return undefined;
        throw e;
      }
    },
  };
}

export type SecretValueArgs = {
  [K in keyof SecretValueInputs]: pulumi.Input<SecretValueInputs[K]>;
};

/**
 * The value of a Secrets Manager secret: written by `pulumi up`, refreshed from metadata only
 * (the preview role never reads it). The value stays a secret in the state.
 */
export class SecretValue extends pulumi.dynamic.Resource {
  public readonly versionId!: pulumi.Output<string>;

  constructor(name: string, args: SecretValueArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      secretValueProvider(sdkCalls),
      name,
      {
        ...args,
        secretString: pulumi.secret(args.secretString),
        versionId: undefined,
        writtenVersionId: undefined,
      },
      { ...opts, additionalSecretOutputs: ["secretString"] },
    );
  }
}
