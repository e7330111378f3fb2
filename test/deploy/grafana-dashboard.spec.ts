import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { register } from 'prom-client';
// Every module that declares metric families, so that the registry holds them all.
import '../../apps/edge/src/metrics/edge-metrics.js';
import '../../apps/billing/src/metrics/billing-metrics.js';
import '../../apps/router/src/metrics/router-metrics.js';
import '../../libs/nats/src/message-metrics.js';

interface Panel {
  title: string;
  targets: Array<{ expr: string }>;
}

const dashboard = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../deploy/grafana/tollgate.json'), 'utf8'),
) as { panels: Panel[] };

/** A histogram's series are its name with _bucket, _count or _sum. */
const familyOf = (series: string): string => series.replace(/_(bucket|count|sum)$/, '');

/** Keeps the Grafana dashboard true to the code: every series it queries is one a service exports. */
describe('deploy/grafana/tollgate.json', () => {
  const exported = new Set(register.getMetricsAsArray().map((metric) => metric.name));

  it('has panels, each with a query', () => {
    expect(dashboard.panels.length).toBeGreaterThan(10);
    for (const panel of dashboard.panels) expect(panel.targets.length).toBeGreaterThan(0);
  });

  it.each(dashboard.panels.map((panel) => [panel.title, panel] as const))(
    '%s queries exported families',
    (_, panel) => {
      const names = panel.targets.flatMap((target) =>
        [...target.expr.matchAll(/\btollgate_[a-z0-9_]+/g)].map((m) => m[0]),
      );
      expect(names.length).toBeGreaterThan(0);
      expect(names.map(familyOf).filter((name) => !exported.has(name))).toEqual([]);
    },
  );
});
