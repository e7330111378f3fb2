// Part of `npm run build`: tsc compiles only TypeScript, so the `.sql` files
// an app reads at run time (its repeatable migrations) are copied here into
// dist/, to the same place relative to the compiled code as they have
// relative to the source: apps/<app>/src/<path>.sql → dist/apps/<app>/<path>.sql.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

for (const app of readdirSync(join(root, 'apps'))) {
  const source = join(root, 'apps', app, 'src');
  if (!existsSync(source)) continue;
  const files = readdirSync(source, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.sql'));
  for (const file of files) {
    const target = join(root, 'dist', 'apps', app, file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(source, file), target);
  }
}
