// The table lives in the contracts, so the console shows exactly what the guard lets through.
export { mayEnter, type AdminArea } from '@tollgate/contracts';
