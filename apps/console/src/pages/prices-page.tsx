import { useQuery } from '@tanstack/react-query';
import type { PriceList, PriceResponse } from '@tollgate/contracts';
import { api } from '../api/client';
import { QuerySection } from '../components/query-section';
import { useEditing } from './prices/editing';
import { GroupsSection } from './prices/groups';
import { PRICES_KEY, PriceForm } from './prices/price-form';
import { PriceTable } from './prices/price-table';
import './prices/prices.css';

/**
 * Billing: what each model costs (every part of its price: input, cached
 * input, cache writes, output, reasoning, characters, audio minutes, images)
 * and the multiplier each customer group pays on it.
 */
export function PricesPage() {
  const prices = useQuery({
    queryKey: PRICES_KEY,
    queryFn: ({ signal }) => api.get<PriceList>('/prices', undefined, signal),
  });
  const editing = useEditing<PriceResponse>();
  return (
    <>
      <QuerySection id="prices" title="Model prices" query={prices} failure="Could not list the prices.">
        {(list) => <PriceTable prices={list.data} onEdit={editing.edit} />}
      </QuerySection>
      <PriceForm key={editing.version} price={editing.row} onClear={editing.clear} />
      <GroupsSection />
    </>
  );
}
