import type { Role } from '@tollgate/contracts';

/** What each role may reach on the admin API (issue: roles on the admin API). */
export type AdminArea = 'billing' | 'admin';

const AREAS_BY_ROLE: Record<Role, ReadonlySet<AdminArea>> = {
  user: new Set(),
  billing: new Set(['billing']),
  admin: new Set(['billing', 'admin']),
  root: new Set(['billing', 'admin']),
};

export const mayEnter = (role: Role, area: AdminArea): boolean => AREAS_BY_ROLE[role].has(area);
