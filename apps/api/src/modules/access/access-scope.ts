import { INTEGER, LIST, VARCHAR, type DuckDBType, type DuckDBValue, listValue } from '@duckdb/node-api';
import { AccessException, AccessExceptionCode, NOT_PERMITTED_MESSAGE } from './access.exception.js';
import { Role, ROLE_RULES, type RoleRule } from './roles.js';

/** The signed-in user, as the session gives it. */
export interface SignedInUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  /** The LA the user works for or with ('332'); its administrators manage the account. */
  laCode: string;
  /** A regional user's LAs (their own among them); empty or absent for every other role. */
  laCodes?: readonly string[];
  urn: number | null;
  workerId: string | null;
  team: string | null;
}

/** Children reached through social care, resolved once per request by the scope factory. */
export interface ScopeChildren {
  /** UPNs, upper case. */
  upns: readonly string[];
}

/**
 * Who may see which schools and which children, built once per request from the signed-in user
 * (`ROLE_RULES` says what each role reaches). Every pupil-level read goes through
 * {@link AccessScope.sqlPredicate} and {@link AccessScope.sqlParams}; aggregate reads ask
 * {@link AccessScope.requireLa} and the `covers…` methods. There is no "unscoped" scope: a
 * request without a user never gets one.
 */
export class AccessScope {
  readonly rule: RoleRule;
  /** The LA whose every pupil is visible, or null. */
  readonly wholeLa: string | null;
  /** Schools whose every pupil is visible. */
  readonly urns: readonly number[];
  /** Children visible wherever they go to school (caseloads, children in care). */
  readonly upns: readonly string[];
  /** The LAs whose figures the user may see: their own, or a regional user's LAs. */
  readonly laCodes: readonly string[];

  constructor(
    readonly user: SignedInUser,
    children: ScopeChildren,
    /** The day the scope is for (`YYYY-MM-DD`): caseload allocations are open on it. */
    readonly today: string,
  ) {
    this.rule = ROLE_RULES[user.role];
    this.wholeLa = this.rule.wholeLa ? user.laCode : null;
    this.urns = this.rule.ownSchool && user.urn !== null ? [user.urn] : [];
    const reachesChildren = this.rule.ownCaseload || this.rule.teamCaseload || this.rule.childrenInCare;
    this.upns = reachesChildren ? [...new Set(children.upns.map((u) => u.toUpperCase()))].sort() : [];
    this.laCodes = this.rule.regional ? [...new Set(user.laCodes ?? [])].sort() : user.laCode ? [user.laCode] : [];
  }

  get role(): Role {
    return this.user.role;
  }

  /** May this user read any named child's data? (Analysts may not.) */
  get pupilLevel(): boolean {
    return this.rule.pupilLevel;
  }

  requirePupilLevel(): void {
    if (!this.rule.pupilLevel) {
      throw new AccessException(AccessExceptionCode.ROLE_NOT_PERMITTED, `${NOT_PERMITTED_MESSAGE} It shows figures for groups of pupils only.`);
    }
  }

  requireAdmin(): void {
    if (!this.rule.administers) throw new AccessException(AccessExceptionCode.ROLE_NOT_PERMITTED, NOT_PERMITTED_MESSAGE);
  }

  /** Aggregates are for the user's own LA only, or a regional user's LAs. */
  requireLa(laCode: string): void {
    if (!this.seesLa(laCode)) {
      throw new AccessException(
        AccessExceptionCode.OUT_OF_SCOPE,
        this.rule.regional
          ? 'You can only see figures for the local authorities of your partnership.'
          : 'You can only see figures for your own local authority.',
      );
    }
  }

  /** May the user see this LA's figures (aggregates)? See {@link requireLa}. */
  seesLa(laCode: string | null): boolean {
    return laCode !== null && this.laCodes.includes(laCode);
  }

  /** True when every pupil of the LA is visible: its aggregates need no suppression. */
  coversLa(laCode: string): boolean {
    return this.wholeLa === laCode;
  }

  /** True when every pupil of the school is visible: its aggregates need no suppression. */
  coversSchool(urn: number, schoolLaCode: string | null): boolean {
    return this.urns.includes(urn) || (this.wholeLa !== null && this.wholeLa === schoolLaCode);
  }

  /**
   * True when the scope follows this child wherever they go to school (a caseload, the children in
   * care): every school's rows of the child are visible, not only the LA's own schools'.
   */
  followsChild(upn: string): boolean {
    return this.upns.includes(upn.toUpperCase());
  }

  /**
   * The SQL condition "this row's pupil is in scope", for a relation aliased `alias` with
   * `la_code`, `urn` and `upn` columns. Values come only from {@link sqlParams}.
   */
  static sqlPredicate(alias: string): string {
    if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`Not a SQL alias: ${alias}`);
    return (
      `(${alias}.la_code = $scope_la` +
      ` OR ${alias}.urn IN (SELECT unnest($scope_urns))` +
      ` OR upper(${alias}.upn) IN (SELECT unnest($scope_upns)))`
    );
  }

  /** The parameters of {@link sqlPredicate}, with their DuckDB types (lists may be empty). */
  sqlParams(): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
    this.requirePupilLevel();
    return {
      values: {
        scope_la: this.wholeLa,
        scope_urns: listValue([...this.urns]),
        scope_upns: listValue([...this.upns]),
      },
      types: { scope_la: VARCHAR, scope_urns: LIST(INTEGER), scope_upns: LIST(VARCHAR) },
    };
  }
}

/**
 * The scope of a system job, not of a person: work that follows a load and is never built for a
 * request. `wholeLa`: every pupil of one LA, as the LA's attendance team reads them (TSM packs);
 * `children`: the given children of one LA wherever they go to school, as the virtual school
 * reads them (social care alerts). The job's name is its user id, `system:<job>`.
 */
export function systemJobScope(job: string, laCode: string, reach: 'wholeLa' | ScopeChildren, today: string): AccessScope {
  const role = reach === 'wholeLa' ? Role.LA_OFFICER : Role.VIRTUAL_SCHOOL;
  const user: SignedInUser = { id: `system:${job}`, email: `system:${job}`, displayName: job, role, laCode, urn: null, workerId: null, team: null };
  return new AccessScope(user, reach === 'wholeLa' ? { upns: [] } : reach, today);
}

/** Who a system job is in the audit log: its name, role `system`, never a person. */
export function systemJobActor(scope: AccessScope): { userId: null; email: string; role: 'system'; laCode: string; ip: null } {
  return { userId: null, email: scope.user.id, role: 'system', laCode: scope.user.laCode, ip: null };
}
