// lib/quota: windows, bands, availability, ranking and the warning text (see README.md).
export { computeSnapshot, type QuotaContext } from './engine';
