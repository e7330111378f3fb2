import type { PriceResponse } from '@tollgate/contracts';
import { DateTime } from '../../components/date-time';
import { useSession } from '../../session/session-context';
import { IMAGES, ImagePrices, PARTS, PartValue } from './price-parts';
import { RowEditButton } from './edit-controls';

/** Every model's price, each part in its own column with its unit; a row's Edit loads it into the form. */
export function PriceTable({
  prices,
  onEdit,
}: {
  prices: readonly PriceResponse[];
  onEdit: (price: PriceResponse) => void;
}) {
  const { currency } = useSession();
  if (prices.length === 0) {
    return <p>No model has a price yet: set the first one below. A model without a price cannot be used.</p>;
  }
  return (
    <div className="table-scroll">
      <table className="price-table">
        <caption>Model prices, in {currency}</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            {PARTS.map((part) => (
              <th scope="col" key={part.name}>
                {part.label} <span className="unit">{part.unit}</span>
              </th>
            ))}
            <th scope="col">
              {IMAGES.label} <span className="unit">{IMAGES.unit}</span>
            </th>
            <th scope="col">Updated</th>
            <th scope="col">
              <span className="unit">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {prices.map((price) => (
            <tr key={price.model}>
              <th scope="row">{price.model}</th>
              {PARTS.map((part) => (
                <td key={part.name} className="num">
                  <PartValue price={price} part={part} />
                </td>
              ))}
              <td>
                <ImagePrices prices={price.image_prices} />
              </td>
              <td>
                <DateTime value={price.updated_at} />
              </td>
              <td>
                <RowEditButton name={price.model} onClick={() => onEdit(price)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
