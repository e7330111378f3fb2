import { existsSync } from 'node:fs';

/** The e2e suite spawns the compiled services; `npm test` builds them first. */
export default function globalSetup(): void {
  for (const entry of ['dist/apps/edge/main.js', 'dist/apps/auth/main.js']) {
    if (!existsSync(entry)) {
      throw new Error(`${entry} is missing: run the e2e tests through \`npm test\`, which builds first.`);
    }
  }
}
