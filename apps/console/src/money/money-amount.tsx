import { useSession } from '../session/session-context';
import { formatMoney } from './money';

/** An amount in the gateway's currency (the session's), e.g. <Money amount="12.5" /> → 12.50 USD. */
export function Money({ amount }: { amount: string }) {
  const { currency } = useSession();
  return <span className="money">{formatMoney(amount, currency)}</span>;
}
