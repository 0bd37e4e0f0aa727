// lib/pricing: the price table and the cost of usage (see README.md).
export { costOfUsage, loadPrices, type PricedUsage, type PriceTable, promptClasses, totalCost } from './prices';
