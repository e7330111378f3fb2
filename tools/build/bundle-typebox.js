// Part of `npm run build`: TypeBox as one module (see libs/typebox/src/index.ts
// for why). tsc has compiled the door's re-exports to dist/index.js; esbuild
// follows them into @sinclair/typebox and writes a single file beside it,
// which the package's `exports` point at.
import { build } from 'esbuild';
import { join, resolve } from 'node:path';

const lib = resolve(import.meta.dirname, '../../libs/typebox/dist');

await build({
  entryPoints: [join(lib, 'index.js')],
  outfile: join(lib, 'typebox.bundle.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  legalComments: 'inline',
  logLevel: 'warning',
});
