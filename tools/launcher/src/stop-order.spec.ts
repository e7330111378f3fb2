import { describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { SUITE_SERVICES, type ServiceProcess } from './service-processes.js';
import { stopStages } from './stop-order.js';

/** A process of the launcher's list as far as the stop order looks at it: its name. */
const named = (name: string): ServiceProcess => ({
  name,
  child: {} as ChildProcess,
  output: () => '',
  exited: Promise.resolve(0),
});
const names = (stages: ServiceProcess[][]) => stages.map((stage) => stage.map((proc) => proc.name));

describe(stopStages.name, () => {
  it('stops the edge first, then the other services, then the fake provider, from the order the launcher starts them in', () => {
    const started = [...SUITE_SERVICES, 'fake-provider'].map(named);
    expect(names(stopStages(started))).toEqual([['edge'], ['auth', 'router', 'billing'], ['fake-provider']]);
  });

  it('stops the edge first when no fake provider runs', () => {
    expect(names(stopStages(SUITE_SERVICES.map(named)))).toEqual([['edge'], ['auth', 'router', 'billing']]);
  });

  it('keeps every process it was given, each once', () => {
    const started = [...SUITE_SERVICES, 'fake-provider'].map(named);
    expect(
      stopStages(started)
        .flat()
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual([...started].sort((a, b) => a.name.localeCompare(b.name)));
  });
});
