// The committed stack files as the CLI hands them over: shared with the offline plan.
export * from "../../scripts/lib/stack-files";
