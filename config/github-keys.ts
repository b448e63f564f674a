// The keys of the GitHub side: which repositories get an environment named after the stack,
// how that environment is protected, and the OIDC provider its AWS roles trust.
// Part of CONFIG_KEYS (schema.ts).
import type { ConfigKeySpec } from "./schema";
import {
  DEFAULT_GITHUB_DEPLOYMENT_BRANCH_PATTERNS,
  DEFAULT_GITHUB_DEPLOYMENT_TAG_PATTERNS,
  DEFAULT_GITHUB_INFRA_REPOSITORY,
  DEFAULT_GITHUB_OIDC_PROVIDER_ARN,
  DEFAULT_GITHUB_PREVENT_SELF_REVIEW,
  DEFAULT_GITHUB_REPOSITORIES,
  DEFAULT_GITHUB_REQUIRED_REVIEWERS,
  DEFAULT_GITHUB_WAIT_TIMER_MINUTES,
} from "../rules/defaults";

export const GITHUB_KEYS: Readonly<Record<string, ConfigKeySpec>> = {
  "github.repositories": {
    type: "array",
    default: DEFAULT_GITHUB_REPOSITORIES,
    description:
      "Repositories (`owner/name`) that get an environment named after the stack: the application's and this one.",
  },
  "github.requiredReviewers": {
    type: "array",
    default: DEFAULT_GITHUB_REQUIRED_REVIEWERS,
    description:
      "Who must approve deployments to this stack's environment: user logins or teams as `org/team-slug` (resolved to ids by the program). Empty means no approval.",
  },
  "github.infraRepository": {
    type: "string",
    default: DEFAULT_GITHUB_INFRA_REPOSITORY,
    description:
      "This repository (`owner/name`), one of `github.repositories`: it gets a read-only preview role for pull requests and a deploy role for the environment; the others get the application's deploy role.",
  },
  "github.preventSelfReview": {
    type: "boolean",
    default: DEFAULT_GITHUB_PREVENT_SELF_REVIEW,
    description: "Whoever triggered a deployment may not approve it.",
  },
  "github.waitTimerMinutes": {
    type: "integer",
    default: DEFAULT_GITHUB_WAIT_TIMER_MINUTES,
    description: "Minutes a deployment waits after approval before it starts (0-43200).",
  },
  "github.deploymentBranchPatterns": {
    type: "array",
    default: DEFAULT_GITHUB_DEPLOYMENT_BRANCH_PATTERNS,
    description:
      "Branches allowed to deploy to the environment (patterns such as main). Empty with no tag patterns: any branch.",
  },
  "github.deploymentTagPatterns": {
    type: "array",
    default: DEFAULT_GITHUB_DEPLOYMENT_TAG_PATTERNS,
    description: "Tags allowed to deploy to the environment (patterns such as v*).",
  },
  "github.oidcProviderArn": {
    type: "string",
    default: DEFAULT_GITHUB_OIDC_PROVIDER_ARN,
    description:
      "ARN of the account's IAM OIDC provider for token.actions.githubusercontent.com (created once per account by the bootstrap). Empty: the program looks it up.",
  },
};
