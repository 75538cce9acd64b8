import type { GraphqlClient } from '$lib/server/graphql';

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
      /** The GraphQL client for this request, carrying the user's cookies. */
      api: GraphqlClient;
    }
    interface PageData {
      /** Shown in the header when the page knows it. */
      laName?: string;
    }
  }
}

export {};
