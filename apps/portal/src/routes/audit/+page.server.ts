import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export interface AuditRow {
  at: string;
  userEmail: string | null;
  userRole: string | null;
  action: string;
  outcome: string;
  objectType: string | null;
  objectId: string | null;
  childUpns: string[];
  ip: string | null;
}

const AUDIT_QUERY = /* GraphQL */ `
  query AuditLog($childUpn: String, $userEmail: String, $action: String) {
    auditLog(childUpn: $childUpn, userEmail: $userEmail, action: $action, limit: 200) {
      at userEmail userRole action outcome objectType objectId childUpns ip
    }
  }`;

/** The LA's audit log, searched by child, user or action (LA administrators only). */
export const load: PageServerLoad = async ({ locals, url }) => {
  if (!locals.user?.administers) error(403, { message: 'Only LA administrators can read the audit log.', code: 'FORBIDDEN' });
  const filters = {
    childUpn: url.searchParams.get('childUpn')?.trim() || null,
    userEmail: url.searchParams.get('userEmail')?.trim() || null,
    action: url.searchParams.get('action')?.trim() || null,
  };
  const { auditLog } = await locals.api.request<{ auditLog: AuditRow[] }>(AUDIT_QUERY, filters);
  return { filters, entries: auditLog };
};
