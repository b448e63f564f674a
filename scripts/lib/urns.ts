// Resource identities as the Pulumi engine forms them: URNs, and the URNs that aliases name.

export interface AliasSpec {
  getName(): string;
  getType(): string;
  getStack(): string;
  getProject(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}

/** An alias as the SDK sends it to the engine: a URN, or a spec of what differs. */
export interface ProtoAlias {
  getUrn(): string;
  getSpec(): AliasSpec | undefined;
}

/**
 * A URN as the engine forms it: `urn:pulumi:<stack>::<project>::<type chain>::<name>`, where the
 * type chain is the parent's whole chain, `$`, then the type; the stack resource adds nothing.
 * (https://www.pulumi.com/docs/iac/concepts/resources/names/#urns). The SDK's mock monitor keeps
 * only the parent's last type, so two resources it tells apart may be one URN to the engine.
 */
export function urnOf(
  stack: string,
  project: string,
  parent: string,
  type: string,
  name: string,
): string {
  const chain = parent ? parent.split("::")[2] : "";
  const qualified = chain && !chain.startsWith("pulumi:pulumi:Stack") ? `${chain}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * The URN an alias names, as the engine resolves an alias spec: each field left empty means the
 * resource's own (name, type, stack, project, parent), `noParent` means a top-level resource.
 */
export function aliasUrn(
  alias: ProtoAlias,
  of: { stack: string; project: string; parent: string; type: string; name: string },
): string {
  const spec = alias.getSpec();
  if (!spec) return alias.getUrn();
  const parent = spec.getNoparent() ? "" : spec.getParenturn() || of.parent;
  return urnOf(
    spec.getStack() || of.stack,
    spec.getProject() || of.project,
    parent,
    spec.getType() || of.type,
    spec.getName() || of.name,
  );
}
