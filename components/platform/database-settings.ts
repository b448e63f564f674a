// Plain rules of the Database component: its fixed windows and the checks of its inputs.
import {
  checkPostgresMajorVersion,
  checkRdsInstanceClass,
  checkSqlIdentifier,
} from "../../rules/names";
import { DATABASE_MODES } from "../../rules/defaults";
import type { DatabaseArgs } from "./database";

/** Daily RDS snapshot window (UTC): clear of the default dumps at 01:00 and 13:30. */
export const RDS_BACKUP_WINDOW = "03:00-03:30";
/** Weekly maintenance window (UTC), after the snapshot window and the default Sunday drill. */
export const RDS_MAINTENANCE_WINDOW = "sun:06:00-sun:06:30";

/** Every problem with the inputs, each naming the argument and what it got. */
export function databaseProblems(args: DatabaseArgs): string[] {
  const problems: string[] = [];
  if (!(DATABASE_MODES as readonly string[]).includes(args.mode)) {
    problems.push(`mode must be rds or external (got ${JSON.stringify(args.mode)})`);
  }
  const check = (
    field: string,
    value: string | undefined,
    rule: (v: string) => string | undefined,
  ) => {
    const problem = value === undefined ? undefined : rule(value);
    if (problem) problems.push(`${field} ${problem} (got ${JSON.stringify(value)})`);
  };
  check("name", args.name, checkSqlIdentifier);
  check("username", args.username, checkSqlIdentifier);
  check("engineVersion", args.engineVersion, checkPostgresMajorVersion);
  check("instanceClass", args.instanceClass, checkRdsInstanceClass);
  if (args.mode === "external" && args.url === undefined) {
    problems.push("url is required with mode external (set the databaseUrl secret)");
  }
  if (args.mode === "rds" && args.subnetIds.length < 2) {
    problems.push(`subnetIds must name subnets in at least two AZs (got ${args.subnetIds.length})`);
  }
  const allocated = args.allocatedStorageGiB;
  const max = args.maxAllocatedStorageGiB;
  if (allocated !== undefined && (allocated < 20 || allocated > 65536)) {
    problems.push(`allocatedStorageGiB must be from 20 to 65536 (got ${allocated})`);
  }
  if (allocated !== undefined && max !== undefined && max < allocated) {
    problems.push(
      `maxAllocatedStorageGiB must be at least allocatedStorageGiB (got ${max} < ${allocated})`,
    );
  }
  const retention = args.backupRetentionDays;
  if (retention !== undefined && (retention < 1 || retention > 35)) {
    problems.push(`backupRetentionDays must be from 1 to 35 (got ${retention})`);
  }
  return problems;
}
