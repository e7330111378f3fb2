import { inOwnSession } from './own-session.js';

// `npm start`: see suite-launcher.ts; own-session.ts says why it runs in a copy of this process.
if (inOwnSession()) await import('./suite-launcher.js');
