// Counts and sizes: grouped integers, compact token counts, byte sizes.

// Built only in bundles that use them (the status line does not).
const intFmt = /* @__PURE__ */ new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234.5 → "1,235": rounded, with thousands separators (report tables). */
export const int = (n: number): string => intFmt.format(Math.round(n));

/** 12 345 → "12.3k", 1 500 000 → "1.5M", 2e9 → "2B"; under 10 000 as it is (the quota warning). */
export function compactNumber(n: number): string {
  if (n >= 1e9) return `${+(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${+(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** 512 → "512 B", 1536 → "1.5 KB": binary units, one decimal (ccx status, doctor, ccx install). */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** 12 345 678 → "12.3 MB": decimal megabytes whatever the size (ccx-report's progress line). */
export const megabytes = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
