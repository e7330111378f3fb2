import { Route, Switch } from 'wouter';
import { CustomerPage } from './customers/customer-page';
import { UserSearch } from '../components/user-search';

/** Billing: find a customer by name, e-mail or id (/customers), and their page (/customers/:id). */
export function CustomersPage() {
  return (
    <Switch>
      <Route path="/customers/:id">{(params) => <CustomerPage userId={params.id} />}</Route>
      <Route>
        <UserSearch noun="customer" linkTo={(user) => `/customers/${user.id}`} />
      </Route>
    </Switch>
  );
}
