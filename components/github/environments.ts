import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { GithubAccess, ResolvedReviewers, ownerOf } from "./access";

/** Variable name for a service: `api` → `ECS_SERVICE_API`. */
export function serviceVariable(prefix: string, service: string): string {
  return `${prefix}_${service.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`;
}

export interface StackFacts {
  readonly region: string;
  readonly clusterName: pulumi.Input<string>;
  readonly backupBucketName: pulumi.Input<string>;
  /** The public service's URL, when there is one. */
  readonly appUrl?: pulumi.Input<string>;
  /** Per service: its ECS name and, when it has one, the migration command. */
  readonly services: Readonly<
    Record<
      string,
      { serviceName: pulumi.Input<string>; runMigrationCommand?: pulumi.Input<string> }
    >
  >;
}

/** The variables every environment of the stack gets, from its outputs (names → values). */
export function environmentVariables(f: StackFacts): Record<string, pulumi.Input<string>> {
  const vars: Record<string, pulumi.Input<string>> = {
    AWS_REGION: f.region,
    ECS_CLUSTER: f.clusterName,
    BACKUP_BUCKET: f.backupBucketName,
  };
  if (f.appUrl !== undefined) vars.APP_URL = f.appUrl;
  for (const [service, s] of Object.entries(f.services)) {
    vars[serviceVariable("ECS_SERVICE", service)] = s.serviceName;
    if (s.runMigrationCommand !== undefined) {
      vars[serviceVariable("MIGRATION_COMMAND", service)] = s.runMigrationCommand;
    }
  }
  return vars;
}

export interface GithubEnvironmentsArgs {
  /** The environment's name: the stack's. */
  readonly stack: string;
  readonly repositories: readonly string[];
  readonly access: GithubAccess;
  /** Required reviewers, resolved to ids; none: no approval. */
  readonly reviewers: ResolvedReviewers;
  readonly preventSelfReview: boolean;
  readonly waitTimerMinutes: number;
  /** Branches and tags that may deploy; both empty: any branch. */
  readonly deploymentBranchPatterns: readonly string[];
  readonly deploymentTagPatterns: readonly string[];
  /** Variables for every repository's environment. */
  readonly variables: Readonly<Record<string, pulumi.Input<string>>>;
  /** Repository → its own variables (its role ARNs). */
  readonly repositoryVariables: Readonly<Record<string, Record<string, pulumi.Input<string>>>>;
  /**
   * Repository → variables outside any environment (jobs without an environment read them:
   * the pull-request preview and the scheduled drift check).
   */
  readonly repositoryLevelVariables?: Readonly<
    Record<string, Record<string, pulumi.Input<string>>>
  >;
  /** Secret values by secret name; unset ones are left out. Stored encrypted by GitHub. */
  readonly secrets: Readonly<Record<string, pulumi.Input<string> | undefined>>;
}

/**
 * A GitHub environment named after the stack in each repository: required reviewers, no
 * self-review, wait timer, the branches and tags that may deploy, and the variables and secrets
 * the workflows need.
 */
export class GithubEnvironments extends pulumi.ComponentResource {
  constructor(name: string, args: GithubEnvironmentsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:github:GithubEnvironments", name, {}, opts);
    const custom =
      args.deploymentBranchPatterns.length > 0 || args.deploymentTagPatterns.length > 0;
    const hasReviewers = args.reviewers.users.length + args.reviewers.teams.length > 0;
    for (const repository of args.repositories) {
      const repo = repository.split("/")[1];
      const id = `${name}-${repo.toLowerCase()}`;
      const options = { parent: this, provider: args.access.provider(ownerOf(repository)) };
      const environment = new github.RepositoryEnvironment(
        id,
        {
          repository: repo,
          environment: args.stack,
          waitTimer: args.waitTimerMinutes,
          preventSelfReview: args.preventSelfReview,
          // With reviewers required, administrators may not skip them either.
          canAdminsBypass: !hasReviewers,
          reviewers: hasReviewers
            ? [{ users: args.reviewers.users, teams: args.reviewers.teams }]
            : [],
          deploymentBranchPolicy: custom
            ? { protectedBranches: false, customBranchPolicies: true }
            : undefined,
        },
        options,
      );
      const inEnvironment = { ...options, dependsOn: [environment] };
      const patterns = [
        ...args.deploymentBranchPatterns.map((p) => ["branch", p, { branchPattern: p }] as const),
        ...args.deploymentTagPatterns.map((p) => ["tag", p, { tagPattern: p }] as const),
      ];
      for (const [kind, value, pattern] of patterns) {
        new github.RepositoryEnvironmentDeploymentPolicy(
          `${id}-${kind}-${value}`,
          { repository: repo, environment: args.stack, ...pattern },
          inEnvironment,
        );
      }
      const variables = { ...args.variables, ...(args.repositoryVariables[repository] ?? {}) };
      for (const [variableName, value] of Object.entries(variables)) {
        new github.ActionsEnvironmentVariable(
          `${id}-${variableName}`,
          { repository: repo, environment: args.stack, variableName, value },
          inEnvironment,
        );
      }
      for (const [variableName, value] of Object.entries(
        args.repositoryLevelVariables?.[repository] ?? {},
      )) {
        new github.ActionsVariable(
          `${id}-repo-${variableName}`,
          { repository: repo, variableName, value },
          options,
        );
      }
      for (const [secretName, value] of Object.entries(args.secrets)) {
        if (value === undefined) continue;
        new github.ActionsEnvironmentSecret(
          `${id}-${secretName}`,
          {
            repository: repo,
            environment: args.stack,
            secretName,
            plaintextValue: pulumi.secret(value),
          },
          inEnvironment,
        );
      }
    }
    this.registerOutputs({});
  }
}
