import * as aws from "@pulumi/aws";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

/** The issuer GitHub Actions' tokens come from. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";

/**
 * The account's IAM OIDC provider for GitHub Actions: `configured` when set, else looked up (the
 * bootstrap creates it once per account; a stack never creates a second one).
 */
export async function githubOidcProviderArn(configured: string): Promise<string> {
  if (configured) return configured;
  try {
    return (await aws.iam.getOpenIdConnectProvider({ url: GITHUB_OIDC_URL })).arn;
  } catch (err) {
    const reason = (err as { details?: string }).details ?? (err as Error).message;
    throw new pulumi.RunError(
      `GitHub's OIDC provider (${GITHUB_OIDC_URL}) was not found in this account (${reason.trim()}): run the bootstrap, which creates it once per account, or set gad:github.oidcProviderArn`,
    );
  }
}

/** Reviewers as GitHub's environments want them: numeric ids. */
export interface ResolvedReviewers {
  readonly users: number[];
  readonly teams: number[];
}

/** `owner` of `owner/name`. */
export function ownerOf(repository: string): string {
  return repository.split("/")[0];
}

export interface GithubAccessArgs {
  /** Repositories (`owner/name`) the stack manages; one provider per owner. */
  readonly repositories: readonly string[];
  /** A token that may administer those repositories' environments (a secret). */
  readonly token: pulumi.Input<string>;
}

/**
 * Explicit GitHub providers (one per repository owner, token from config: nothing ambient) and
 * the look-ups that turn reviewer logins and team slugs into ids.
 */
export class GithubAccess extends pulumi.ComponentResource {
  private readonly providers = new Map<string, github.Provider>();

  constructor(name: string, args: GithubAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gad:github:GithubAccess", name, {}, opts);
    for (const owner of [...new Set(args.repositories.map(ownerOf))]) {
      this.providers.set(
        owner,
        new github.Provider(
          `${name}-${owner.toLowerCase()}`,
          { owner, token: pulumi.secret(args.token) },
          { parent: this },
        ),
      );
    }
    this.registerOutputs({});
  }

  /** The provider of `owner` (one of the repositories' owners). */
  provider(owner: string): github.Provider {
    const provider = this.providers.get(owner);
    if (!provider) throw new Error(`internal: no GitHub provider for ${owner}`);
    return provider;
  }

  /**
   * Looks every reviewer up: `login` as a user, `org/slug` as a team of org. Await it before
   * building environments; a reviewer that does not exist fails the run naming it.
   */
  async resolveReviewers(reviewers: readonly string[]): Promise<ResolvedReviewers> {
    const looked = await Promise.all(
      reviewers.map(async (reviewer) => {
        const [first, slug] = reviewer.split("/");
        try {
          if (slug === undefined) {
            const user = await github.getUser({ username: first }, this.lookupOptions(undefined));
            return { kind: "user" as const, id: Number(user.id) };
          }
          const team = await github.getTeam({ slug, summaryOnly: true }, this.lookupOptions(first));
          return { kind: "team" as const, id: Number(team.id) };
        } catch (err) {
          const reason = (err as { details?: string }).details ?? (err as Error).message;
          const what = slug === undefined ? `user ${first}` : `team ${slug} of ${first}`;
          throw new pulumi.RunError(
            `gad:github.requiredReviewers: ${reviewer} could not be found on GitHub (${what}: ${reason.trim()}); check the spelling, and that gad:githubToken may read the organization's members`,
          );
        }
      }),
    );
    return {
      users: looked.filter((r) => r.kind === "user").map((r) => r.id),
      teams: looked.filter((r) => r.kind === "team").map((r) => r.id),
    };
  }

  private lookupOptions(owner: string | undefined): pulumi.InvokeOptions {
    const provider = owner ? this.providers.get(owner) : this.providers.values().next().value;
    if (!provider) {
      throw new Error(`${owner ?? "a reviewer"} is not the owner of any of github.repositories`);
    }
    return { provider, parent: this };
  }
}
