// Dollar amounts, always with cents.

const usdFmt = /* @__PURE__ */ new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 1234.5 → "$1,234.50": with thousands separators (ccx-report). */
export const usd = (n: number): string => `$${usdFmt.format(n)}`;

/** 1234.5 → "$1234.50": no separators (the status line, the quota warning, ccx profile list). */
export const usdPlain = (n: number): string => `$${n.toFixed(2)}`;
