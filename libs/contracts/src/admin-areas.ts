import type { Role } from './roles.js';

/**
 * What each role may reach on the admin API (issue: roles on the admin API):
 * the edge's AdminGuard refuses by it and the console shows only what it
 * allows. This file imports types only, so the console bundles it without
 * the rest of the contracts (TypeBox and the schemas).
 */
export type AdminArea = 'billing' | 'admin';

const AREAS_BY_ROLE: Record<Role, readonly AdminArea[]> = {
  user: [],
  billing: ['billing'],
  admin: ['billing', 'admin'],
  root: ['billing', 'admin'],
};

export const mayEnter = (role: Role, area: AdminArea): boolean => AREAS_BY_ROLE[role].includes(area);
