import { AccessScope } from '../access/access-scope.js';
import type { AuditActor } from '../audit/audit.service.js';
import { Role } from '../access/roles.js';

/** Who the pack builds that follow a load are, in the audit log: the system, never a person. */
export const TSM_SYSTEM_ACTOR = 'system:tsm-packs';

/**
 * The scope of the system's own pack builds after a load: every pupil of one LA (the reach of
 * the LA's attendance team, `ROLE_RULES`), for no signed-in user. Built only here, only for the
 * LA whose return loaded; no request ever gets it.
 */
export function systemScope(laCode: string, today: string): AccessScope {
  return new AccessScope(
    { id: TSM_SYSTEM_ACTOR, email: TSM_SYSTEM_ACTOR, displayName: 'Rollbook (pack builds after a load)', role: Role.LA_OFFICER, laCode, urn: null, workerId: null, team: null },
    { upns: [] },
    today,
  );
}

export function systemActor(laCode: string): AuditActor {
  return { userId: null, email: TSM_SYSTEM_ACTOR, role: 'system', laCode, ip: null };
}
