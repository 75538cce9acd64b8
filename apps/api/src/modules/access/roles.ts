/**
 * Who a user is to Rollbook. Each role's reach is in {@link ROLE_RULES}; the scope of a request
 * is built from it in one place (`access-scope.ts`).
 */
export enum Role {
  LA_ADMIN = 'la_admin',
  LA_OFFICER = 'la_officer',
  SCHOOL_USER = 'school_user',
  SOCIAL_WORKER = 'social_worker',
  TEAM_MANAGER = 'team_manager',
  VIRTUAL_SCHOOL = 'virtual_school',
  ANALYST = 'analyst',
  REGIONAL = 'regional',
}

export const ROLES: readonly Role[] = Object.values(Role);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Which pupils a role reaches, and what else it may do. The rules, as data. */
export interface RoleRule {
  /** Every pupil of the user's LA. */
  wholeLa: boolean;
  /** Every pupil of the user's own school (`users.urn`). */
  ownSchool: boolean;
  /** Children on the user's own open caseload allocations (`users.worker_id`). */
  ownCaseload: boolean;
  /** Children on open allocations of the user's team (`users.team`). */
  teamCaseload: boolean;
  /** Looked-after children and children with a social worker, at any school (virtual school). */
  childrenInCare: boolean;
  /**
   * Figures of several LAs: each LA in the user's `la_codes` and their pool (a regional
   * partnership, ADR 0004). Every other role sees figures of its own LA (`users.la_code`) only.
   */
  regional: boolean;
  /** May read any pupil-level data at all (false: aggregates only, small counts suppressed). */
  pupilLevel: boolean;
  /** Manages users and roles, and searches the audit log. */
  administers: boolean;
  /** Users with this role must have this column set. */
  requires: 'urn' | 'worker_id' | 'team' | 'la_codes' | null;
  label: string;
}

const none = { wholeLa: false, ownSchool: false, ownCaseload: false, teamCaseload: false, childrenInCare: false, regional: false };

export const ROLE_RULES: Readonly<Record<Role, RoleRule>> = {
  [Role.LA_ADMIN]: { ...none, wholeLa: true, pupilLevel: true, administers: true, requires: null, label: 'LA administrator' },
  [Role.LA_OFFICER]: { ...none, wholeLa: true, pupilLevel: true, administers: false, requires: null, label: 'LA attendance officer' },
  [Role.SCHOOL_USER]: { ...none, ownSchool: true, pupilLevel: true, administers: false, requires: 'urn', label: 'School user' },
  [Role.SOCIAL_WORKER]: { ...none, ownCaseload: true, pupilLevel: true, administers: false, requires: 'worker_id', label: 'Social worker' },
  [Role.TEAM_MANAGER]: { ...none, teamCaseload: true, pupilLevel: true, administers: false, requires: 'team', label: 'Team manager' },
  [Role.VIRTUAL_SCHOOL]: { ...none, childrenInCare: true, pupilLevel: true, administers: false, requires: null, label: 'Virtual school' },
  [Role.ANALYST]: { ...none, pupilLevel: false, administers: false, requires: null, label: 'Analyst (aggregates only)' },
  // Aggregates only, small counts withheld, as the analyst (ADR 0004: no pupil-level data across LAs).
  [Role.REGIONAL]: { ...none, regional: true, pupilLevel: false, administers: false, requires: 'la_codes', label: 'Regional partnership analyst' },
};
