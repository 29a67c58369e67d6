import { Constraints, Version } from '../functions/semver.js';

/**
 * helm's `IsCompatibleRange`: whether `version` satisfies `constraint` (Masterminds semver),
 * false when either does not parse — a dependency without a version range never matches.
 */
export function isCompatibleRange(constraint: string, version: string): boolean {
  let parsedVersion: Version;
  let parsedConstraint: Constraints;
  try {
    parsedVersion = Version.parse(version);
    parsedConstraint = Constraints.parse(constraint);
  } catch {
    return false;
  }
  return parsedConstraint.check(parsedVersion);
}

/** semver.NewVersion succeeds: Chart.yaml's `version` must be one. */
export function isValidSemver(version: string): boolean {
  try {
    Version.parse(version);
    return true;
  } catch {
    return false;
  }
}
