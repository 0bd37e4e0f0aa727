// The order of the names ccx sorts to show (periods, projects, models, profiles, sessions):
// UTF-16 code units, the same on every machine. Not localeCompare: its first call starts ICU's
// collator (~20 ms, a fifth of a warm ccx-report) and its order follows the user's locale.
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
