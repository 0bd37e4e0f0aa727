// What every command runs against, injected so tests and the real process differ only here.
import type { CcxPaths, Env } from '../paths';
import type { ClaudeVersion } from './claude-version';

export type CliContext = {
  env: Env;
  now: () => number;
  paths: CcxPaths;
  /** dist/ of the running checkout: hooks and the status line are registered from here. */
  distDir: string;
  /** Absolute node binary the hooks are registered with, and its version (v20.x.y). */
  node: string;
  nodeVersion: string;
  /** The Claude Code on PATH (asked once, on first use): decides sync or async registration. */
  claudeVersion: () => ClaudeVersion;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Progress lines (\r-rewritten) only make sense on a terminal. */
  errIsTTY: boolean;
  outIsTTY: boolean;
};
