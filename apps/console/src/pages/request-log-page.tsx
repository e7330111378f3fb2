import { Link, Route, Switch, useSearchParams } from 'wouter';
import { filtersOf, RequestFilterForm, setFilters } from './requests/request-filters';
import { RequestLog } from './requests/request-log';
import { RequestTrace } from './requests/request-trace';
import { TidForm } from './requests/tid-form';
import './requests/requests.css';

/**
 * Billing: the request log. Support finds the request a customer quotes by
 * its tid (/requests/:tid); below the tid form, every settled request,
 * filtered by the URL's query (`/requests?user_id=…`), which the filter form
 * sets, so other pages link to a filtered log and the back button undoes a filter.
 */
export function RequestLogPage() {
  return (
    <Switch>
      <Route path="/requests/:tid">{(params) => <RequestTrace key={params.tid} tid={params.tid} />}</Route>
      <Route>
        <RequestLogHome />
      </Route>
    </Switch>
  );
}

function RequestLogHome() {
  const [search, setSearch] = useSearchParams();
  const filters = filtersOf(search);
  // One key per applied filter: the form starts from it, and the log from its first page.
  const applied = new URLSearchParams(setFilters(filters)).toString();
  return (
    <>
      <TidForm />
      <section aria-labelledby="request-filters-title">
        <h2 id="request-filters-title">Filter the log</h2>
        <RequestFilterForm key={applied} applied={filters} onApply={(next) => setSearch(setFilters(next))} />
        {applied && (
          <p>
            <Link href="/requests">Clear the filters</Link>
          </p>
        )}
      </section>
      <RequestLog key={applied} filters={filters} />
    </>
  );
}
