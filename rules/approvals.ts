// Deployment protection rules GitHub can satisfy
// (https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment#required-reviewers):
// at most six users or teams, any one of whom approves; with "prevent self-review" the person
// who started the run cannot be that one.

/** GitHub's limit on an environment's required reviewers (users and teams together). */
export const MAX_REQUIRED_REVIEWERS = 6;

/**
 * The rule `reviewers` (user logins, `org/team` slugs) break, phrased to complete
 * "github.requiredReviewers: ...", or undefined. A team may have several members, so only a
 * list of a single user can be known to deadlock.
 */
export function checkReviewers(
  reviewers: readonly string[],
  preventSelfReview: boolean,
  preventSelfReviewKey: string,
): string | undefined {
  const distinct = [...new Set(reviewers.map((r) => r.toLowerCase()))];
  if (distinct.length > MAX_REQUIRED_REVIEWERS) {
    return `GitHub allows at most ${MAX_REQUIRED_REVIEWERS} required reviewers (users or teams)`;
  }
  const users = distinct.filter((r) => !r.includes("/"));
  if (preventSelfReview && users.length === 1 && distinct.length === 1) {
    return `with ${preventSelfReviewKey} a run that ${reviewers[0]} starts can never be approved: name a second reviewer or a team, or set ${preventSelfReviewKey} to false`;
  }
  return undefined;
}
