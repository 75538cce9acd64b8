import type { AccessScope } from './access-scope.js';

/** What the access guard attaches to each signed-in request. */
export interface RequestAccess {
  scope: AccessScope;
  sessionId: string;
  csrfToken: string;
  /** The client's address (through the portal: the address the portal saw). */
  ip: string | null;
}
