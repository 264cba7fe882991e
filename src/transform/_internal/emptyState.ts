import type { EmptyState } from '../identity.js';

/** The one shared, frozen empty state of the stateless transforms. */
export const emptyState: EmptyState = Object.freeze({});
