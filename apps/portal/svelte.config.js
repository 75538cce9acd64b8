import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const out = 'build';

/**
 * adapter-node listens on 0.0.0.0 unless HOST is set. Rollbook serves children's data, so the
 * default must be loopback: the built `index.js` sets HOST to 127.0.0.1 when it is not given, then
 * starts adapter-node's own server (renamed `server.js`). PORT keeps adapter-node's default, 3000.
 * @param {import('@sveltejs/adapter-node').AdapterOptions} options
 * @returns {import('@sveltejs/kit').Adapter}
 */
function nodeAdapterOnLoopback(options) {
  const base = adapter(options);
  return {
    ...base,
    async adapt(builder) {
      await base.adapt(builder);
      renameSync(join(out, 'index.js'), join(out, 'server.js'));
      renameSync(join(out, 'index.js.map'), join(out, 'server.js.map'));
      const server = readFileSync(join(out, 'server.js'), 'utf8');
      writeFileSync(join(out, 'server.js'), server.replace('sourceMappingURL=index.js.map', 'sourceMappingURL=server.js.map'));
      writeFileSync(
        join(out, 'index.js'),
        "process.env.HOST ??= '127.0.0.1';\nawait import('./server.js');\n",
      );
    },
  };
}

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    adapter: nodeAdapterOnLoopback({ out }),
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};
