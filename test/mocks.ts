// The tests' side of the mock engine (scripts/lib/mock-engine.ts): the account and region the
// mocked resources live in, and the look-ups the whole program makes, answered alike every time.
import { createHash } from "crypto";

export const ACCOUNT_ID = "123456789012";
export const REGION = "sa-east-1";
export * from "../scripts/lib/mock-engine";
import { type CallHandler, callerIdentity } from "../scripts/lib/mock-engine";

export const AZS = ["sa-east-1a", "sa-east-1b", "sa-east-1c"];

/** The digest the mock registry gives `name` (`repository:tag`): stable, and distinct per tag. */
export function digestOf(name: string): string {
  return `sha256:${createHash("sha256").update(name).digest("hex")}`;
}

/** GitHub users and teams the mock knows, with their ids. */
export const GITHUB_USER_IDS: Readonly<Record<string, number>> = {
  "eevans-d": 4242001,
  octocat: 583231,
};
export const GITHUB_TEAM_IDS: Readonly<Record<string, number>> = { "gad-ops": 9100 };

/** What GitHub's API answers for a login or slug it does not know. */
function missing(what: string): never {
  const error = new Error(`GET https://api.github.com/...: 404 Not Found (${what})`);
  throw Object.assign(error, { details: error.message });
}

/** The data sources the whole program reads: the account, AZs, image digests, GitHub and OIDC look-ups. */
export function programCalls(): Record<string, CallHandler> {
  return {
    "aws:index/getCallerIdentity:getCallerIdentity": callerIdentity(ACCOUNT_ID),
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
      id: REGION,
      names: AZS,
      zoneIds: ["sae1-az1", "sae1-az2", "sae1-az3"],
    }),
    "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider": (inputs) => ({
      arn: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
      url: inputs.url,
      clientIdLists: ["sts.amazonaws.com"],
    }),
    "github:index/getUser:getUser": (inputs) => ({
      id: String(GITHUB_USER_IDS[inputs.username as string] ?? missing(`user ${inputs.username}`)),
      login: inputs.username,
    }),
    "github:index/getTeam:getTeam": (inputs) => ({
      id: String(GITHUB_TEAM_IDS[inputs.slug as string] ?? missing(`team ${inputs.slug}`)),
      slug: inputs.slug,
    }),
    "docker:index/getRegistryImage:getRegistryImage": (inputs) => ({
      id: inputs.name,
      name: inputs.name,
      sha256Digest: digestOf(inputs.name as string),
    }),
  };
}
