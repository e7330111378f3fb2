import { randomUUID } from 'node:crypto';

/**
 * This edge process's id, drawn at start: what billing's grants name as the
 * edge they were lent to. A restarted edge is a new edge; the grants of the
 * old one are closed by billing once their validity has passed.
 */
export const EDGE_ID = Symbol('EDGE_ID');
export const newEdgeId = (): string => randomUUID();
