import type { GraphqlClient } from '$lib/server/graphql';
import type { PortalUser } from '$lib/server/session';

declare global {
  namespace App {
    interface Error {
      message: string;
      /** A stable code for support and tests, e.g. `GRAPHQL_ERRORS`. */
      code?: string;
      /** Further lines safe to show the user. */
      details?: string[];
    }
    interface Locals {
      /** The GraphQL client for this request, carrying the user's session and CSRF token. */
      api: GraphqlClient;
      /** Who is signed in; null on the sign-in pages. */
      user: PortalUser | null;
      /** The API's GraphQL URL (for the sign-in and download routes). */
      apiUrl: URL;
    }
    interface PageData {
      /** Shown in the header when the page knows it. */
      laName?: string;
      /** Who is signed in, for the header (from the root layout). */
      user?: PortalUser | null;
    }
  }
}

export {};
