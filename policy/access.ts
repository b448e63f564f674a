// Guardrails on access: IAM grants and trusts, open ports, and listeners' TLS.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { GuardPolicy, statements } from "./guard";

/** TLS policies of 1.2 and later that listeners may use. */
export const TLS_POLICIES = [
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS-1-2-2017-01",
  "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
  "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

export const ACCESS_POLICIES: GuardPolicy[] = [
  {
    name: "iam-no-star",
    description: "No inline policy allows every action on every resource (IAM.1).",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:iam/role:Role") return;
      for (const p of props.inlinePolicies ?? []) {
        for (const s of statements(p.policy)) {
          const all = (v: unknown) => [v].flat().includes("*");
          if (s.Effect === "Allow" && all(s.Action) && all(s.Resource))
            report(`inline policy ${p.name} allows * on *`);
        }
      }
    },
  },
  {
    name: "admin-only-fenced",
    description: "AdministratorAccess goes only to a role fenced off other stacks' resources.",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      for (const a of resources.filter(
        (r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      )) {
        if (!String(a.props.policyArn).endsWith(":policy/AdministratorAccess")) continue;
        const role = resources.find(
          (r) =>
            r.type === "aws:iam/role:Role" &&
            (r.props.name === a.props.role || r.name === a.props.role),
        );
        const fenced = (role?.props.inlinePolicies ?? []).some((p: any) =>
          statements(p.policy).some(
            (s) => s.Effect === "Deny" && s.Sid === "NoOtherStacksResources",
          ),
        );
        if (!fenced)
          report(`${a.name} grants AdministratorAccess to a role without the stack fence`, a.urn);
      }
    },
  },
  {
    name: "oidc-trust-exact",
    description: "Roles trusted by GitHub's OIDC pin the audience and an exact subject.",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:iam/role:Role") return;
      for (const s of statements(props.assumeRolePolicy)) {
        if (!String(s.Principal?.Federated ?? "").includes("token.actions.githubusercontent.com"))
          continue;
        const eq = s.Condition?.StringEquals ?? {};
        if (eq["token.actions.githubusercontent.com:aud"] !== "sts.amazonaws.com")
          report("the OIDC trust does not pin aud to sts.amazonaws.com");
        const subjects = [eq["token.actions.githubusercontent.com:sub"] ?? []].flat();
        if (subjects.length === 0 || subjects.some((v: string) => /[*?]/.test(v)))
          report("the OIDC trust does not pin an exact sub");
        if (Object.keys(s.Condition ?? {}).some((op) => op !== "StringEquals"))
          report("the OIDC trust uses a condition other than StringEquals");
      }
    },
  },
  {
    name: "sg-open-only-web",
    description: "Only 80 and 443 are open to the internet (EC2.18, EC2.19).",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      if (type !== "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") return;
      if (props.cidrIpv4 !== "0.0.0.0/0" && props.cidrIpv6 !== "::/0") return;
      if (![80, 443].includes(props.fromPort) || props.fromPort !== props.toPort) {
        report(
          `ports ${props.fromPort}-${props.toPort} are open to the internet: only 80 and 443 may be`,
        );
      }
    },
  },
  {
    name: "listener-tls",
    description:
      "HTTPS listeners use TLS 1.2 or later; with HTTPS on, HTTP only redirects (ELB.1).",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      const listeners = resources.filter((r) => r.type === "aws:lb/listener:Listener");
      const https = listeners.filter((l) => l.props.protocol === "HTTPS");
      for (const l of https) {
        if (!TLS_POLICIES.includes(l.props.sslPolicy))
          report(`${l.name} uses ${l.props.sslPolicy}: use a TLS 1.2+ policy`, l.urn);
      }
      for (const l of listeners.filter((x) => x.props.protocol === "HTTP")) {
        const sameLb = https.some((h) => h.props.loadBalancerArn === l.props.loadBalancerArn);
        if (sameLb && l.props.defaultActions?.[0]?.type !== "redirect")
          report(`${l.name} serves HTTP next to HTTPS: redirect it`, l.urn);
      }
    },
  },
  {
    name: "no-plain-http",
    description:
      "No internet-facing load balancer serves plain HTTP: it redirects to HTTPS, or it is internal behind CloudFront.",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      const balancers = resources.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer");
      for (const l of resources.filter((r) => r.type === "aws:lb/listener:Listener")) {
        if (l.props.protocol !== "HTTP" || l.props.defaultActions?.[0]?.type === "redirect")
          continue;
        const deps = new Set((l.propertyDependencies?.loadBalancerArn ?? []).map((d) => d.urn));
        const lb = balancers.find(
          (b) =>
            (b.urn !== undefined && deps.has(b.urn)) ||
            (b.props.arn !== undefined && b.props.arn === l.props.loadBalancerArn),
        );
        // Unknown (not yet created and not traced): treat as internet-facing, ALB's default.
        if (lb?.props.internal === true) continue;
        report(
          `${l.name} serves plain HTTP on internet-facing load balancer ${lb?.name ?? "(unknown)"}: serve HTTPS (set domain.name) or put it behind CloudFront`,
          l.urn,
        );
      }
    },
  },
];
