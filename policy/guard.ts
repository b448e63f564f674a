// What every guardrail is made of: the arguments a validation reads, and the JSON helpers.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** What a resource validation reads (a subset of @pulumi/policy's ResourceValidationArgs). */
export interface ResourceArgs {
  readonly type: string;
  readonly name: string;
  readonly urn?: string;
  readonly props: Record<string, any>;
  readonly opts?: { readonly protect?: boolean };
  /** Per input property, the resources its value came from (stack validations). */
  readonly propertyDependencies?: Readonly<Record<string, readonly { readonly urn?: string }[]>>;
}
export type Report = (message: string, urn?: string) => void;

export interface GuardPolicy {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: "mandatory";
  readonly validateResource?: (args: ResourceArgs, report: Report) => void;
  readonly validateStack?: (args: { resources: ResourceArgs[] }, report: Report) => void;
}

export const json = (value: unknown): any =>
  typeof value === "string" ? JSON.parse(value) : value;
export const statements = (doc: unknown): any[] => [json(doc)?.Statement ?? []].flat();
