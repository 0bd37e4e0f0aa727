// Percentages, rounded one way everywhere: to the nearest whole number, halves up (Math.round),
// so 41.5 is "42%" in the status line, the warning and the report alike.

/** 41.5 → "42%"; null (nothing measured) → "—" (tables, the status line). */
export const pct = (n: number | null): string => (n === null ? '—' : `${Math.round(n)}%`);

/** 41.5 → "42 %" (the quota warning's prose). */
export const pctSpaced = (n: number): string => `${Math.round(n)} %`;
