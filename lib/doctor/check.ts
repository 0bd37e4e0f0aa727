// One doctor finding: what was checked, how it stands, and the one thing to do when not ok.
export type Status = 'ok' | 'warn' | 'fail';
export type Check = { name: string; status: Status; message: string; fix: string | null };

export const ok = (name: string, message: string): Check => ({ name, status: 'ok', message, fix: null });
export const warn = (name: string, message: string, fix: string | null): Check => ({ name, status: 'warn', message, fix });
export const fail = (name: string, message: string, fix: string): Check => ({ name, status: 'fail', message, fix });
