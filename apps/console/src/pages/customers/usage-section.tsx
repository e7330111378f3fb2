import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { UsageResponse } from '@tollgate/contracts';
import { api } from '../../api/client';
import { QuerySection } from '../../components/query-section';
import { Money } from '../../money/money-amount';
import { sumMoney } from '../../money/money';

const DAYS = 30;

interface DayModel {
  day: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costs: string[];
}

/** The report's rows (one per day, key and model) summed per day and model, newest day first. */
function byDayAndModel(rows: UsageResponse['data']): (Omit<DayModel, 'costs'> & { cost: string })[] {
  const groups = new Map<string, DayModel>();
  for (const row of rows) {
    const id = `${row.day} ${row.model}`;
    const group = groups.get(id) ?? {
      day: row.day,
      model: row.model,
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      costs: [],
    };
    group.requests += row.requests;
    group.inputTokens += row.input_tokens;
    group.outputTokens += row.output_tokens;
    group.costs.push(row.cost);
    groups.set(id, group);
  }
  return [...groups.values()]
    .map(({ costs, ...group }) => ({ ...group, cost: sumMoney(costs) }))
    .sort((a, b) => b.day.localeCompare(a.day) || a.model.localeCompare(b.model));
}

/** The customer's usage of the last 30 days by model and day: a bar chart of the cost per day, and the table. */
export function UsageSection({ userId }: { userId: string }) {
  // The period starts when the section opens, not at each render.
  const [from] = useState(() => new Date(Date.now() - DAYS * 86_400_000).toISOString().slice(0, 10));
  const usage = useQuery({
    queryKey: ['customer', userId, 'usage', from],
    queryFn: ({ signal }) => api.get<UsageResponse>('/usage', { user_id: userId, from }, signal),
  });
  const rows = usage.data ? byDayAndModel(usage.data.data) : [];
  return (
    <QuerySection id="usage" title={`Usage, last ${DAYS} days`} query={usage} failure="Could not read the usage.">
      {(report) =>
        rows.length === 0 ? (
          <p>No usage in the last {DAYS} days.</p>
        ) : (
          <>
            <CostChart rows={rows} from={from} />
            {report.truncated && (
              <p className="hint">More usage rows matched than one report holds: the oldest are left out.</p>
            )}
            <div className="table-scroll">
              <table>
                <caption>By model and day</caption>
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Model</th>
                    <th scope="col" className="num">
                      Requests
                    </th>
                    <th scope="col" className="num">
                      Input tokens
                    </th>
                    <th scope="col" className="num">
                      Output tokens
                    </th>
                    <th scope="col" className="num">
                      Cost
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={`${row.day} ${row.model}`}>
                      <td>{row.day}</td>
                      <td>{row.model}</td>
                      <td className="num">{row.requests}</td>
                      <td className="num">{row.inputTokens}</td>
                      <td className="num">{row.outputTokens}</td>
                      <td className="num">
                        <Money amount={row.cost} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      }
    </QuerySection>
  );
}

const CHART = { width: 600, height: 160, gap: 2 };

/**
 * Cost per day as SVG bars (no chart library: a few rects keep the bundle
 * small). The bar heights are the only place a cost becomes a float: a
 * proportion on screen, never a figure anyone reads; the figures are the
 * table's, exact.
 */
function CostChart({ rows, from }: { rows: { day: string; cost: string }[]; from: string }) {
  const perDay = new Map<string, string[]>();
  for (const row of rows) perDay.set(row.day, [...(perDay.get(row.day) ?? []), row.cost]);
  // One slot per day of the period, the days without usage too: a bar's place says its date.
  const days = Array.from({ length: DAYS + 1 }, (_, index) => {
    const day = new Date(Date.parse(from) + index * 86_400_000).toISOString().slice(0, 10);
    return { day, cost: sumMoney(perDay.get(day) ?? []) };
  });
  const highest = Math.max(...days.map((day) => Number(day.cost)), 0);
  const barWidth = CHART.width / days.length - CHART.gap;
  return (
    <figure className="usage-chart">
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-label={`Cost per day from ${from} to today`}>
        {days.map((day, index) => {
          const height = highest > 0 ? (Number(day.cost) / highest) * CHART.height : 0;
          return (
            <rect
              key={day.day}
              x={index * (barWidth + CHART.gap)}
              y={CHART.height - height}
              width={barWidth}
              height={height}
              className="bar"
            >
              <title>{`${day.day}: ${day.cost}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption>Cost per day, {from} to today (hover a bar for its figure; the table below has them all)</figcaption>
    </figure>
  );
}
