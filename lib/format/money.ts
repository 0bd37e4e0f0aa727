// Dollar amounts, always with cents.

import { groupedFixed } from './number';

let usdFmt: Intl.NumberFormat | undefined;

/** 1234.5 → "$1,234.50": with thousands separators (ccx-report). */
export function usd(n: number): string {
  return `$${groupedFixed(n, 2) ?? (usdFmt ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(n)}`;
}

/** 1234.5 → "$1234.50": no separators (the status line, the quota warning, ccx profile list). */
export const usdPlain = (n: number): string => `$${n.toFixed(2)}`;
