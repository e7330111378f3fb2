import { defineConfig } from 'vite';

/**
 * The console, built by `npm run build` (`vite build apps/console`, this folder the root) into
 * dist/console, which the edge serves at /console/ (apps/edge/src/console/).
 *
 * No @vitejs/plugin-react: Vite's own transform (Oxc) compiles JSX with React's automatic runtime,
 * which is all a production build needs; the plugin adds Fast Refresh for the dev server only, and
 * its optional Babel peers cannot be resolved beside the @babel/core 7 that jest brings (npm refuses
 * the install without --legacy-peer-deps). The dev server still reloads the page on a change.
 */
export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    // The one type-free file of the contracts the console runs: which role sees which area.
    alias: {
      '@tollgate/contracts/admin-areas': new URL('../../libs/contracts/src/admin-areas.ts', import.meta.url).pathname,
    },
  },
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    // Served by the edge with a strict CSP: no inline scripts, so nothing may be inlined as a data: module.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React Query marks its hooks "use client" for server-component bundlers; a client-only app has nothing to keep.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npx vite apps/console` during development: the admin API of an edge on the default port.
    proxy: { '/admin/v1': 'http://127.0.0.1:8080' },
  },
});
