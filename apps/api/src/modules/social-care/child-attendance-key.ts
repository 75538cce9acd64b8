import { createHash } from 'node:crypto';
import type { AccessScope } from '../access/access-scope.js';

/** What of a scope decides which rows of a child it is given (`AccessScope.sqlPredicate`). */
export type ScopeRows = Pick<AccessScope, 'wholeLa' | 'urns' | 'upns' | 'today'> & { user: Pick<AccessScope['user'], 'laCode'> };

/**
 * Which of a child's rows the scope's SQL filter lets through: every row when the scope holds
 * the child (`upns`), otherwise the rows of its LA's and its own schools only.
 */
export function rowsSeenBy(scope: ScopeRows, held: ReadonlySet<string>, upn: string): string {
  return held.has(upn.toUpperCase()) ? 'child' : `la=${scope.wholeLa ?? ''};urns=${scope.urns.join(',')}`;
}

/**
 * The result-cache key of these children's attendance (UPN → on roll this year) as `scope`
 * reads it: the LA, year and day, and for each child whether it is on roll and which of its rows
 * the scope sees — never the user, so everyone given the same figures shares them. The warehouse
 * version is added by `WarehouseService.remember`.
 */
export function childAttendanceKey(scope: ScopeRows, academicYear: string, onRoll: ReadonlyMap<string, boolean>): string {
  const held = new Set(scope.upns);
  const children = [...onRoll].map(([upn, roll]) => `${upn}|${roll ? 'on_roll' : 'not_on_roll'}|${rowsSeenBy(scope, held, upn)}`);
  return [
    'social-care/child-attendance', scope.user.laCode, academicYear, scope.today,
    createHash('sha256').update(children.join('\n')).digest('base64url'),
  ].join('\u0000');
}
