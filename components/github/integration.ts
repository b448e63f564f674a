import * as pulumi from "@pulumi/pulumi";
import type { ClusterRef } from "../platform/cluster";
import type { GithubConfig } from "../../rules/types";
import type { GhcrService } from "../services/ghcr-service";
import { GithubAccess, ResolvedReviewers, githubOidcProviderArn } from "./access";
import { GithubEnvironments, environmentVariables } from "./environments";
import { GithubRoles } from "./roles";

export interface GithubIntegrationArgs {
  readonly stack: string;
  readonly region: string;
  readonly github: GithubConfig;
  readonly access: GithubAccess;
  /** `github.requiredReviewers`, resolved (GithubAccess.resolveReviewers). */
  readonly reviewers: ResolvedReviewers;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly cluster: Pick<ClusterRef, "clusterArn" | "clusterName">;
  readonly services: Readonly<Record<string, GhcrService>>;
  readonly appUrl?: pulumi.Input<string>;
  readonly backupBucket: { bucketName: pulumi.Input<string>; bucketArn: pulumi.Input<string> };
  /** Optional chat webhook, written as the CHAT_WEBHOOK_URL environment secret. */
  readonly chatWebhookUrl?: pulumi.Input<string>;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The stack as GitHub sees it: OIDC roles for the repositories' jobs, and in each repository an
 * environment named after the stack that carries those roles' ARNs and the stack's facts.
 */
export class GithubIntegration extends pulumi.ComponentResource {
  public readonly roles: GithubRoles;

  constructor(name: string, args: GithubIntegrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:github:GithubIntegration", name, {}, opts);
    const parent = { parent: this };
    const services = Object.values(args.services);
    const migrating = services.filter((s) => s.migrationFamilyArn !== undefined);
    this.roles = new GithubRoles(
      name,
      {
        stack: args.stack,
        oidcProviderArn: args.oidcProviderArn,
        repositories: args.github.repositories,
        infraRepository: args.github.infraRepository,
        app: {
          clusterArn: args.cluster.clusterArn,
          serviceNames: services.map((s) => s.serviceName),
          migrationFamilies: migrating.map((s) => s.migrationFamilyArn as pulumi.Output<string>),
          passRoleArns: migrating.flatMap((s) => s.roleArns),
          logGroupArns: services.map((s) => s.logGroupArn),
        },
        dataBucketArns: [args.backupBucket.bucketArn],
        tags: args.tags,
      },
      parent,
    );
    const roles = this.roles;
    new GithubEnvironments(
      name,
      {
        ...args.github,
        stack: args.stack,
        access: args.access,
        reviewers: args.reviewers,
        variables: environmentVariables({
          region: args.region,
          clusterName: args.cluster.clusterName,
          backupBucketName: args.backupBucket.bucketName,
          appUrl: args.appUrl,
          services: args.services,
        }),
        repositoryVariables: Object.fromEntries(
          args.github.repositories.map((repository) => [
            repository,
            { AWS_ROLE_ARN: roles.deployRoleArns[repository] },
          ]),
        ),
        repositoryLevelVariables: {
          [args.github.infraRepository]: {
            [`AWS_PREVIEW_ROLE_ARN_${args.stack.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`]:
              roles.previewRoleArn,
          },
        },
        secrets: { CHAT_WEBHOOK_URL: args.chatWebhookUrl },
      },
      parent,
    );
    this.registerOutputs({});
  }
}

/** What connectGithub needs beyond the stack's configuration. */
export interface ConnectGithubArgs extends Omit<
  GithubIntegrationArgs,
  "access" | "reviewers" | "oidcProviderArn" | "chatWebhookUrl"
> {
  /** The stack's secrets: githubToken (required with repositories), chatWebhookUrl. */
  readonly secrets: {
    readonly githubToken?: pulumi.Input<string>;
    readonly chatWebhookUrl?: pulumi.Input<string>;
  };
}

/**
 * Connects the stack to GitHub, when `github.repositories` names any: providers, then the
 * look-ups (reviewers, the OIDC provider) awaited so that a missing one fails the run at once,
 * then roles and environments.
 */
export async function connectGithub(name: string, args: ConnectGithubArgs): Promise<void> {
  if (args.github.repositories.length === 0) return;
  const token = args.secrets.githubToken;
  if (token === undefined) throw new pulumi.RunError("gad:githubToken: required secret is not set");
  const access = new GithubAccess(name, { repositories: args.github.repositories, token });
  new GithubIntegration(name, {
    ...args,
    access,
    reviewers: await access.resolveReviewers(args.github.requiredReviewers),
    oidcProviderArn: await githubOidcProviderArn(args.github.oidcProviderArn),
    chatWebhookUrl: args.secrets.chatWebhookUrl,
  });
}
