/** The store's clock: injected so tests can move time (lease expiry, pairing code expiry). */
export type Clock = () => number;
