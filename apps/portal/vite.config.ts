import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * The GDS Transport typeface is licensed for GOV.UK services only. govuk-frontend's compiled CSS
 * declares it (and fetches it from /assets/fonts); strip the @font-face rules and the family name so
 * the standard fallback stack (Arial, then sans-serif) is used and no font is requested.
 * It also keeps old-IE hacks (`@media screen\0`, `(min-width:0\0)`) that modern browsers ignore and the CSS
 * minifier rejects: such a query becomes `@media not all`, which every browser ignores too.
 */
function govukWithoutGdsTransport(): Plugin {
  return {
    name: 'rollbook:govuk-without-gds-transport',
    enforce: 'pre',
    transform(code, id) {
      if (!/govuk-frontend[\\/].*\.css(\?|$)/.test(id)) return null;
      return {
        code: code
          .replace(/@font-face\s*\{[^}]*GDS Transport[^}]*\}/g, '')
          .replace(/(["']?)GDS Transport\1\s*,\s*/g, '')
          .replace(/@media[^{]*\\0[^{]*\{/g, '@media not all{'),
        map: null,
      };
    },
  };
}

export default defineConfig({
  plugins: [govukWithoutGdsTransport(), sveltekit()],
});
