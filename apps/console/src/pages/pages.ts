import type { ComponentType } from 'react';
import type { AdminArea } from '@tollgate/contracts/admin-areas';
import { BulkAdjustmentsPage } from './bulk-adjustments-page';
import { ChannelsPage } from './channels-page';
import { CustomersPage } from './customers-page';
import { KeysPage } from './keys-page';
import { LedgerPage } from './ledger-page';
import { PricesPage } from './prices-page';
import { ReconcilePage } from './reconcile-page';
import { RequestLogPage } from './request-log-page';
import { UsersPage } from './users-page';

export interface ConsolePage {
  /** Under /console. */
  path: string;
  title: string;
  /** The admin API area the page calls: a role that may not enter it does not see the page at all. */
  area: AdminArea;
  component: ComponentType;
}

/**
 * Every page, in nav order: the nav, the routes and the titles are made from
 * this one list. A page's area is the admin API's `access` of the routes it
 * calls (admin.routes.ts): billing staff price models and read the request
 * log, so those pages are theirs too.
 */
export const PAGES: readonly ConsolePage[] = [
  { path: '/customers', title: 'Customers', area: 'billing', component: CustomersPage },
  { path: '/ledger', title: 'Ledger', area: 'billing', component: LedgerPage },
  { path: '/adjustments', title: 'Bulk adjustments', area: 'billing', component: BulkAdjustmentsPage },
  { path: '/reconcile', title: 'Reconcile', area: 'billing', component: ReconcilePage },
  { path: '/requests', title: 'Request log', area: 'billing', component: RequestLogPage },
  { path: '/prices', title: 'Prices & groups', area: 'billing', component: PricesPage },
  { path: '/users', title: 'Users', area: 'admin', component: UsersPage },
  { path: '/keys', title: 'Keys', area: 'admin', component: KeysPage },
  { path: '/channels', title: 'Channels', area: 'admin', component: ChannelsPage },
];

export const AREA_TITLES: Record<AdminArea, string> = { billing: 'Billing', admin: 'Admin' };
