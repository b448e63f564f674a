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

const anyStar = (v: unknown) => [v].flat().includes("*");
const ADMIN = /:policy\/AdministratorAccess$/;
const ANYWHERE = (v: unknown) => [v ?? []].flat().some((c) => c === "0.0.0.0/0" || c === "::/0");

/** Every IAM policy document a resource carries, with a label for messages. */
function policyDocumentsOf(type: string, props: Record<string, any>) {
  if (type === "aws:iam/role:Role")
    return (props.inlinePolicies ?? []).map((p: any) => ({
      label: `inline policy ${p.name}`,
      document: p.policy,
    }));
  if (
    [
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/userPolicy:UserPolicy",
      "aws:iam/groupPolicy:GroupPolicy",
      "aws:iam/policy:Policy",
    ].includes(type)
  )
    return [{ label: `policy ${props.name ?? ""}`.trim(), document: props.policy }];
  return [];
}

/** The roles a resource gives AdministratorAccess to. */
function adminGrantees(r: { type: string; name: string; props: Record<string, any> }): unknown[] {
  if (r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    return ADMIN.test(String(r.props.policyArn)) ? [r.props.role] : [];
  if (r.type === "aws:iam/policyAttachment:PolicyAttachment")
    return ADMIN.test(String(r.props.policyArn)) ? (r.props.roles ?? []) : [];
  if (r.type === "aws:iam/role:Role")
    return (r.props.managedPolicyArns ?? []).some((a: string) => ADMIN.test(String(a)))
      ? [r.props.name ?? r.name]
      : [];
  if (r.type === "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive")
    return (r.props.policyArns ?? []).some((a: string) => ADMIN.test(String(a)))
      ? [r.props.roleName]
      : [];
  return [];
}

/** Ingress a resource opens to 0.0.0.0/0 or ::/0, in whichever form it is written. */
function internetIngress(
  type: string,
  props: Record<string, any>,
): { fromPort: number; toPort: number; protocol: string }[] {
  if (type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    return ANYWHERE([props.cidrIpv4, props.cidrIpv6])
      ? [{ fromPort: props.fromPort, toPort: props.toPort, protocol: String(props.ipProtocol) }]
      : [];
  if (type === "aws:ec2/securityGroupRule:SecurityGroupRule")
    return props.type === "ingress" && ANYWHERE([props.cidrBlocks, props.ipv6CidrBlocks].flat())
      ? [{ fromPort: props.fromPort, toPort: props.toPort, protocol: String(props.protocol) }]
      : [];
  if (type === "aws:ec2/securityGroup:SecurityGroup")
    return (props.ingress ?? [])
      .filter((i: any) => ANYWHERE([i.cidrBlocks, i.ipv6CidrBlocks].flat()))
      .map((i: any) => ({ fromPort: i.fromPort, toPort: i.toPort, protocol: String(i.protocol) }));
  return [];
}

export const ACCESS_POLICIES: GuardPolicy[] = [
  {
    name: "iam-no-star",
    description:
      "No IAM policy allows every action on every resource (IAM.1): a role's inline policies, an aws.iam.RolePolicy, UserPolicy or GroupPolicy, or a managed aws.iam.Policy.",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      for (const { label, document } of policyDocumentsOf(type, props)) {
        for (const s of statements(document)) {
          if (s.Effect === "Allow" && anyStar(s.Action) && anyStar(s.Resource))
            report(`${label} allows * on *`);
        }
      }
    },
  },
  {
    name: "admin-only-fenced",
    description:
      "AdministratorAccess goes only to a role fenced off other stacks' resources, however it is attached (an attachment, a policy attachment or a role's managed policy list).",
    enforcementLevel: "mandatory",
    validateStack: ({ resources }, report) => {
      const roles = resources.filter((r) => r.type === "aws:iam/role:Role");
      const fenced = (roleName: unknown) => {
        const role = roles.find((r) => r.props.name === roleName || r.name === roleName);
        return (role?.props.inlinePolicies ?? []).some((p: any) =>
          statements(p.policy).some(
            (s) => s.Effect === "Deny" && s.Sid === "NoOtherStacksResources",
          ),
        );
      };
      for (const r of resources) {
        for (const roleName of adminGrantees(r)) {
          if (!fenced(roleName))
            report(`${r.name} grants AdministratorAccess to a role without the stack fence`, r.urn);
        }
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
    description:
      "Only 80 and 443 are open to the internet (EC2.18, EC2.19), whether as a security group's inline ingress, an aws.ec2.SecurityGroupRule or an aws.vpc.SecurityGroupIngressRule.",
    enforcementLevel: "mandatory",
    validateResource: ({ type, props }, report) => {
      for (const rule of internetIngress(type, props)) {
        const allPorts = rule.protocol === "-1" || rule.protocol === "all";
        if (allPorts || ![80, 443].includes(rule.fromPort) || rule.fromPort !== rule.toPort)
          report(
            `${allPorts ? "every port is" : `ports ${rule.fromPort}-${rule.toPort} are`} open to the internet: only 80 and 443 may be`,
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
