import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { SecretValue } from "../secret-value";
import type { ImageRef } from "../../rules/types";

/** The registry whose credentials this component holds. */
export const GHCR = "ghcr.io";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** `repository@sha256:...`: the reference a task definition runs, immutable. */
export function pinnedImage(repository: string, digest: string): string {
  if (!DIGEST.test(digest)) {
    throw new Error(`registry answered ${JSON.stringify(digest)} for ${repository}, not a digest`);
  }
  return `${repository}@${digest}`;
}

/** What an operator reads when a tag does not resolve: which image, which tag, what to check. */
export function unresolvedImageMessage(
  purpose: string,
  repository: string,
  tag: string,
  reason: string,
): string {
  const hint = repository.startsWith(`${GHCR}/`)
    ? "check that the tag is published and that gad:ghcrToken (with gad:ghcr.username) can read the package (read:packages)"
    : "check that the tag is published";
  return `${purpose}: image ${repository}:${tag} could not be resolved to a digest (${reason.trim()}); ${hint}`;
}

export interface RegistryArgs {
  /** Region of the credentials secret. */
  readonly region: string;
  /** GitHub user that owns `token`. */
  readonly username: string;
  /** GitHub token with `read:packages` (a secret). */
  readonly token: pulumi.Input<string>;
  /** Tags for the credentials secret. @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * Access to images for a stack: resolves `repository:tag` to an immutable digest at preview time
 * (authenticated to GHCR, anonymous elsewhere), and keeps the GHCR credentials in a Secrets
 * Manager secret in the form ECS `repositoryCredentials` reads.
 */
export class Registry extends pulumi.ComponentResource {
  /** ARN of the `{"username","password"}` secret for `repositoryCredentials`. */
  public readonly credentialsSecretArn: pulumi.Output<string>;
  private readonly provider: docker.Provider;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:images:Registry", name, {}, opts);
    if (!/^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$/.test(args.username)) {
      throw new pulumi.ResourceError(
        `Registry ${name}: username must be a GitHub user login (got ${JSON.stringify(args.username)})`,
        this,
        true,
      );
    }
    const token = pulumi.secret(args.token);
    this.provider = new docker.Provider(
      `${name}-docker`,
      {
        registryAuth: [{ address: GHCR, username: args.username, password: token }],
        // Digests come from the registry's API: no Docker engine is needed (nor present in CI).
        disableDockerDaemonCheck: true,
      },
      { parent: this },
    );
    const secret = new aws.secretsmanager.Secret(
      `${name}-ghcr`,
      {
        description: `Pull credentials for ${GHCR} (ECS repositoryCredentials)`,
        recoveryWindowInDays: 7,
        tags: args.tags ?? {},
      },
      { parent: this },
    );
    new SecretValue(
      `${name}-ghcr`,
      {
        region: args.region,
        secretId: secret.arn,
        secretString: pulumi.jsonStringify({ username: args.username, password: token }),
      },
      { parent: this },
    );
    this.credentialsSecretArn = secret.arn;
    this.registerOutputs({ credentialsSecretArn: this.credentialsSecretArn });
  }

  /**
   * The digest-pinned reference of `repository:tag`, resolved when the program runs (so a
   * preview shows which image will roll). Await it before building what runs the image: a tag
   * that does not resolve fails the run at once, with a message naming `purpose`, the image and
   * the tag, before anything is changed.
   */
  /** Each service's image pinned (concurrently), by service name; purposes `service <name>`. */
  async pinServices(
    services: readonly { readonly name: string; readonly image: ImageRef }[],
  ): Promise<Record<string, string>> {
    const pinned = await Promise.all(services.map((s) => this.pin(`service ${s.name}`, s.image)));
    return Object.fromEntries(services.map((s, i) => [s.name, pinned[i]]));
  }

  async pin(purpose: string, image: ImageRef): Promise<string> {
    const { repository, tag } = image;
    const fail = (reason: string) =>
      new pulumi.RunError(unresolvedImageMessage(purpose, repository, tag, reason));
    let digest: string;
    try {
      const options = { provider: this.provider, parent: this };
      digest = (await docker.getRegistryImage({ name: `${repository}:${tag}` }, options))
        .sha256Digest;
    } catch (err) {
      throw fail((err as { details?: string }).details ?? (err as Error).message);
    }
    try {
      return pinnedImage(repository, digest);
    } catch (err) {
      throw fail((err as Error).message);
    }
  }
}
