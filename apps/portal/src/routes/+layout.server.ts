import type { LayoutServerLoad } from './$types';

/** Who is signed in, for the header on every page. */
export const load: LayoutServerLoad = ({ locals }) => ({ user: locals.user });
