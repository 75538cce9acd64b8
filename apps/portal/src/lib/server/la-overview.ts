import { error } from '@sveltejs/kit';
import {
  ACADEMIC_YEARS_QUERY,
  LA_OVERVIEW_QUERY,
  newestFirst,
  parseSelection,
  type LaOverview,
  type Selection,
} from '../la-overview.js';
import type { GraphqlClient } from './graphql.js';

export type OverviewData =
  | { state: 'empty' }
  | { state: 'ready'; years: string[]; selection: Selection; overview: LaOverview };

/**
 * The LA overview for the year and scope in the URL. An empty warehouse (no academic years loaded)
 * is a normal state, not an error; a year or scope that is not on offer is a 400 or 404.
 */
export async function loadOverview(api: GraphqlClient, params: URLSearchParams): Promise<OverviewData> {
  const { academicYears } = await api.request<{ academicYears: string[] }>(ACADEMIC_YEARS_QUERY);
  if (academicYears.length === 0) return { state: 'empty' };
  const years = newestFirst(academicYears);
  const parsed = parseSelection(params, years);
  if (!parsed.ok) {
    error(parsed.problem.status, {
      message: parsed.problem.message,
      code: 'BAD_SELECTION',
    });
  }
  const { laOverview } = await api.request<{ laOverview: LaOverview }>(LA_OVERVIEW_QUERY, {
    academicYear: parsed.selection.year,
    scope: parsed.selection.scope,
  });
  return { state: 'ready', years, selection: parsed.selection, overview: laOverview };
}
