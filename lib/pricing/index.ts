// lib/pricing: the price table and the cost of usage (see README.md).
export { costOfUsage, loadPrices, promptClasses, totalCost, type PricedUsage, type PriceTable } from './prices';
