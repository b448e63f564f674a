import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  DEPLOY_SESSION_SECONDS,
  MAX_SESSION_SECONDS,
  branchSubject,
  appDeployPolicy,
  environmentSubject,
  githubTrustPolicy,
  previewLimitsPolicy,
  pullRequestSubject,
  stackGuardPolicy,
} from "./policies";
import { arnParts } from "../iam";

/** The bootstrap's policy for reading the Pulumi state (scripts/bootstrap-steps.ts). */
export const STATE_READ_POLICY = "gad-pulumi-state-read";

/** This repository's default branch: the scheduled drift check runs there, read-only. */
export const INFRA_DEFAULT_BRANCH = "main";

/** What the application's deploy role may act on: this stack's services. */
export interface AppScope {
  readonly clusterArn: pulumi.Input<string>;
  readonly serviceNames: pulumi.Input<string>[];
  readonly migrationFamilies: pulumi.Input<string>[];
  readonly passRoleArns: pulumi.Input<string>[];
  readonly logGroupArns: pulumi.Input<string>[];
}

export interface GithubRolesArgs {
  readonly stack: string;
  /** The account's IAM OIDC provider for token.actions.githubusercontent.com. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** `owner/name` of every repository with an environment. */
  readonly repositories: readonly string[];
  /** This repository: a preview role for pull requests and the stack's deploy role. */
  readonly infraRepository: string;
  readonly app: AppScope;
  /** Buckets whose objects a preview may not read (backups, access logs). */
  readonly dataBucketArns: pulumi.Input<string>[];
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/** `eevans-d/GRUPO_GAD` → `grupo-gad`: part of role names. */
export function repositorySlug(repository: string): string {
  return repository
    .split("/")[1]
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-");
}

/**
 * The IAM roles GitHub Actions assumes through OIDC: per repository, one trusted only from this
 * stack's environment; for this repository also a read-only preview role trusted for pull
 * requests. No static keys anywhere.
 */
export class GithubRoles extends pulumi.ComponentResource {
  /** Repository → the role its jobs in this stack's environment assume. */
  public readonly deployRoleArns: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly previewRoleArn: pulumi.Output<string>;

  constructor(name: string, args: GithubRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:github:GithubRoles", name, {}, opts);
    const tags = args.tags ?? {};
    const parent = { parent: this };
    const role = (
      id: string,
      subject: string | string[],
      policy: pulumi.Input<string>,
      managed?: string,
      sessionSeconds = MAX_SESSION_SECONDS,
    ) => {
      const r = new aws.iam.Role(
        `${name}-${id}`,
        {
          description: `GitHub Actions: ${[subject].flat().join(" or ")}`,
          assumeRolePolicy: pulumi
            .output(args.oidcProviderArn)
            .apply((arn) => JSON.stringify(githubTrustPolicy(arn, subject))),
          maxSessionDuration: sessionSeconds,
          inlinePolicies: [{ name: "scope", policy }],
          tags,
        },
        parent,
      );
      if (managed) {
        new aws.iam.RolePolicyAttachment(
          `${name}-${id}`,
          { role: r.name, policyArn: `arn:aws:iam::aws:policy/${managed}` },
          parent,
        );
      }
      return r;
    };

    const appPolicy = pulumi
      .all([
        args.app.clusterArn,
        pulumi.all(args.app.serviceNames),
        pulumi.all(args.app.migrationFamilies),
        pulumi.all(args.app.passRoleArns),
        pulumi.all(args.app.logGroupArns),
      ])
      .apply(([clusterArn, serviceNames, migrationFamilies, passRoleArns, logGroupArns]) =>
        JSON.stringify(
          appDeployPolicy({
            clusterArn,
            serviceNames,
            migrationFamilies,
            passRoleArns,
            logGroupArns,
          }),
        ),
      );
    const deployRoleArns: Record<string, pulumi.Output<string>> = {};
    for (const repository of args.repositories) {
      const subject = environmentSubject(repository, args.stack);
      const slug = repositorySlug(repository);
      deployRoleArns[repository] =
        repository === args.infraRepository
          ? role(
              `${slug}-deploy`,
              subject,
              JSON.stringify(stackGuardPolicy(args.stack)),
              "AdministratorAccess",
              DEPLOY_SESSION_SECONDS,
            ).arn
          : role(`${slug}-deploy`, subject, appPolicy).arn;
    }
    const preview = role(
      `${repositorySlug(args.infraRepository)}-preview`,
      [
        pullRequestSubject(args.infraRepository),
        branchSubject(args.infraRepository, INFRA_DEFAULT_BRANCH),
      ],
      pulumi.all(args.dataBucketArns).apply((arns) => JSON.stringify(previewLimitsPolicy(arns))),
      "ReadOnlyAccess",
    );
    // Reading the Pulumi state and decrypting its secrets: the bootstrap's policy for that.
    new aws.iam.RolePolicyAttachment(
      `${name}-${repositorySlug(args.infraRepository)}-preview-state`,
      {
        role: preview.name,
        policyArn: pulumi
          .output(args.oidcProviderArn)
          .apply((arn) => `arn:aws:iam::${arnParts(arn).account}:policy/${STATE_READ_POLICY}`),
      },
      parent,
    );
    this.previewRoleArn = preview.arn;
    this.deployRoleArns = deployRoleArns;
    this.registerOutputs({ previewRoleArn: this.previewRoleArn });
  }
}
