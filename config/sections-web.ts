// Readers of the public side (`domain.*`, `loadBalancer.*`, `rollout.*`) and of `github.*`.
import { ConfigReader } from "./reader";
import { checkReviewers } from "../rules/approvals";
import { checkGithubRepository, checkGithubReviewer } from "../rules/names";
import { qualify } from "./schema";
import type { DomainConfig, GithubConfig, LoadBalancerConfig, RolloutConfig } from "../rules/types";

/** `domain.*`: nothing set means no domain; a name needs a way to get a certificate. */
export function readDomain(r: ConfigReader, region: unknown): DomainConfig | undefined {
  const name = r.string("domain.name", (v) =>
    v === "" || /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(v)
      ? undefined
      : "must be a lower-case host name such as api.example.org (or empty for none)",
  );
  const zone = r.string("domain.hostedZoneId", (v) =>
    v === "" || /^Z[A-Z0-9]{4,32}$/.test(v)
      ? undefined
      : "must be a Route 53 hosted zone id (Z...)",
  );
  const certificate = r.string("domain.certificateArn", (v) => {
    if (v === "") return undefined;
    const m = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]+$/.exec(v);
    if (!m) return "must be an ACM certificate ARN";
    return m[1] === region
      ? undefined
      : `must be in the stack's region ${String(region)} (a load balancer uses certificates of its own region)`;
  });
  if (!name) {
    if (zone) r.fail("domain.hostedZoneId", "needs domain.name", zone);
    if (certificate) r.fail("domain.certificateArn", "needs domain.name", certificate);
    return undefined;
  }
  if (zone === "" && certificate === "") {
    r.fail(
      "domain.name",
      "needs domain.hostedZoneId (to validate a new certificate) or domain.certificateArn (an existing one)",
      name,
    );
  }
  return { name, hostedZoneId: zone || undefined, certificateArn: certificate || undefined };
}

export function readLoadBalancer(r: ConfigReader): LoadBalancerConfig {
  return {
    idleTimeoutSeconds: r.integer("loadBalancer.idleTimeoutSeconds", 31, 4000) as number,
    deletionProtection: r.boolean("loadBalancer.deletionProtection") as boolean,
    waf: r.boolean("loadBalancer.waf") as boolean,
    wafRateLimit: r.integer("loadBalancer.wafRateLimit", 100, 2000000000) as number,
    accessLogs: r.boolean("loadBalancer.accessLogs") as boolean,
    accessLogRetentionDays: r.integer("loadBalancer.accessLogRetentionDays", 1) as number,
  };
}

export function readRollout(r: ConfigReader): RolloutConfig {
  const interval = r.integer("rollout.healthCheckIntervalSeconds", 5, 300);
  return {
    healthCheckIntervalSeconds: interval as number,
    healthyThreshold: r.integer("rollout.healthyThreshold", 2, 10) as number,
    unhealthyThreshold: r.integer("rollout.unhealthyThreshold", 2, 10) as number,
    deregistrationDelaySeconds: r.integer("rollout.deregistrationDelaySeconds", 0, 3600) as number,
    healthCheckGracePeriodSeconds: r.integer(
      "rollout.healthCheckGracePeriodSeconds",
      0,
      2147483647,
    ) as number,
  };
}

export function readGithub(r: ConfigReader): GithubConfig {
  const repositories = r.list("github.repositories", checkGithubRepository);
  const infra = r.string("github.infraRepository", checkGithubRepository);
  if (repositories && repositories.length > 0 && infra && !repositories.includes(infra)) {
    r.fail(
      "github.infraRepository",
      `must be one of github.repositories (${repositories.join(", ")})`,
      infra,
    );
  }
  const reviewers = r.list("github.requiredReviewers", checkGithubReviewer) as string[];
  const preventSelfReview = r.boolean("github.preventSelfReview") as boolean;
  const deadlock =
    reviewers && preventSelfReview !== undefined
      ? checkReviewers(reviewers, preventSelfReview, qualify("github.preventSelfReview"))
      : undefined;
  if (deadlock) r.fail("github.requiredReviewers", deadlock, reviewers);
  const pattern = (v: string) =>
    /^[A-Za-z0-9._/*-]+$/.test(v)
      ? undefined
      : "must be a branch or tag pattern such as main or v*";
  return {
    repositories: repositories as string[],
    requiredReviewers: reviewers,
    infraRepository: infra as string,
    preventSelfReview,
    waitTimerMinutes: r.integer("github.waitTimerMinutes", 0, 43200) as number,
    deploymentBranchPatterns: r.list("github.deploymentBranchPatterns", pattern) as string[],
    deploymentTagPatterns: r.list("github.deploymentTagPatterns", pattern) as string[],
    oidcProviderArn: r.string("github.oidcProviderArn", (v) =>
      v === "" ||
      /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(v)
        ? undefined
        : "must be the ARN of the IAM OIDC provider for token.actions.githubusercontent.com (or empty to look it up)",
    ) as string,
  };
}
