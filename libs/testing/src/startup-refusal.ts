import { expect, jest } from '@jest/globals';

/**
 * Runs `load` (a service's config loading) expecting it to stop start-up as
 * a bad setting does: process.exit(1) after a message on stderr. Returns the
 * message, for the spec to check which settings it names.
 */
export function startupRefusal(load: () => unknown): string {
  const exit = jest.spyOn(process, 'exit').mockImplementation(() => {
    throw new Error('process.exit');
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(load).toThrow('process.exit');
    expect(exit).toHaveBeenCalledWith(1);
    return stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
  } finally {
    exit.mockRestore();
    stderr.mockRestore();
  }
}
