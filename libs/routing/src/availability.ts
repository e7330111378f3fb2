/** Whether the health of a channel lets a pick use it now. */
export type Availability =
  | { kind: 'available'; /** Half-open: this pick is the one probe request. */ probe: boolean }
  | { kind: 'cooling_down'; until: number }
  | { kind: 'circuit_open'; until: number };

/** What selection needs from health; the tracker implements it, tests stub it. */
export interface HealthReader {
  availability(channelId: number, now: number): Availability;
}
