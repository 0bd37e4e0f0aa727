// Headless Chromium for the page tests (the HTML report, the serve dashboard): which binary, and
// the flags every run takes so that it touches nothing outside its own profile dir.
import { spawnSync } from 'node:child_process';

/** The Chromium on PATH (Debian names it chromium; others chromium-browser), or null. */
export function chromium(): string | null {
  for (const bin of ['chromium', 'chromium-browser']) if (spawnSync(bin, ['--version']).status === 0) return bin;
  return null;
}

/** Headless, no sandbox or GPU, no network chatter, a throwaway profile. */
export const headlessArgs = (profileDir: string): string[] => [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--user-data-dir=${profileDir}`,
];
