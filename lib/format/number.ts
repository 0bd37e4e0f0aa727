// Counts and sizes: grouped integers, compact token counts, byte sizes.

/**
 * `n` with `digits` decimals and thousands separators as Intl.NumberFormat('en-US') writes it,
 * without Intl, whose first use costs a process ~20 ms of ICU start-up (a fifth of a warm
 * ccx-report). Intl rounds the shortest decimal that reads back as `n` (what String(n) gives; 1.005
 * → "1.01", where toFixed says "1.00"), ties away from zero. Null for what Intl spells its own way
 * (NaN, ±Infinity, -0, 1e21 and over): the callers ask Intl then.
 */
export function groupedFixed(n: number, digits: number): string | null {
  if (!(Math.abs(n) < 1e21) || Object.is(n, -0)) return null;
  const s = String(Math.abs(n));
  // An exponent below 1e21 means under 1e-6: zero at the few digits shown.
  const [whole = '0', frac = ''] = s.includes('e') ? [] : s.split('.');
  let kept = whole + frac.slice(0, digits).padEnd(digits, '0');
  if (frac.length > digits && frac[digits]! >= '5') kept = (BigInt(kept) + 1n).toString().padStart(kept.length, '0');
  const w = (kept.slice(0, kept.length - digits) || '0').replace(/\B(?=(\d{3})+$)/g, ',');
  return (n < 0 ? '-' : '') + w + (digits > 0 ? `.${kept.slice(kept.length - digits)}` : '');
}

let intFmt: Intl.NumberFormat | undefined;

/** 1234.5 → "1,235": rounded, with thousands separators (report tables). */
export function int(n: number): string {
  const r = Math.round(n);
  return groupedFixed(r, 0) ?? (intFmt ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })).format(r);
}

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
