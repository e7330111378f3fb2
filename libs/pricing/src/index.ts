// Exact money arithmetic shared by billing (which prices holds and charges) and the edge (which prices
// requests it admits from a credit grant at the grant's quoted prices, with the very same rounding).
export * from './cost.js';
export * from './decimal-prices.js';
