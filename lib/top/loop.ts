// runTop: the `ccx top` session. On a terminal: the alternate screen, redrawn every tick (the clock
// and countdowns move), the figures read again every poll; q or Ctrl-C quits, p moves the focus.
// The terminal is given back as it was (main screen, cursor, cooked mode) however it ends: a
// key, SIGINT, SIGTERM, SIGHUP, or an error nobody caught. Not on a terminal: one frame, no
// escape codes, then exit.

import { termWidth, useColor } from '../cli-kit';
import type { CcxPaths, Env } from '../paths';
import { activeProfile, readConfig, watchedProfiles } from '../profiles';
import { resolveTimeZone } from '../time';
import { createReader, type Reader } from './read';
import { renderTop } from './render';
import { ENTER_SCREEN, frameUpdate, LEAVE_SCREEN } from './screen';
import type { TopData, TopState } from './state';

export type TopInput = {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
  on(event: 'data', fn: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', fn: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
};

export type TopOutput = {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  write(s: string): unknown;
  on?(event: 'resize', fn: () => void): unknown;
  off?(event: 'resize', fn: () => void): unknown;
};

type Handler = (arg?: unknown) => void;
/** process, in the real command: where signals and uncaught errors arrive. */
export type TopProcess = { on(event: string, fn: Handler): unknown; off(event: string, fn: Handler): unknown };

export type TopIO = {
  env: Env;
  paths: CcxPaths;
  clock: () => number;
  stdin: TopInput;
  stdout: TopOutput;
  stderr: { write(s: string): unknown };
  process: TopProcess;
  /** Redraw (clock, countdowns) every tickMs; read the figures again every pollMs. */
  tickMs?: number;
  pollMs?: number;
};

export type TopOptions = { profiles: string[]; tz: string | null };

const TICK_MS = 1_000;
const POLL_MS = 2_000;
const EXIT_ON_SIGNAL: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export async function runTop(io: TopIO, opts: TopOptions): Promise<number> {
  const tz = opts.tz ?? resolveTimeZone(io.env.TZ);
  const reader = createReader({ paths: io.paths, env: io.env, tz, only: opts.profiles });
  const interactive = io.stdout.isTTY === true && io.stdin.isTTY === true;
  const state: TopState = { data: null, focus: null, color: useColor(io.stdout.isTTY === true, io.env, false), interactive };
  try {
    if (!interactive) {
      state.data = await reader.read(io.clock());
      state.focus = initialFocus(io, state.data);
      const lines = renderTop(state, termWidth(io.env, io.stdout.columns), Number.POSITIVE_INFINITY, io.clock(), tz);
      io.stdout.write(`${lines.join('\n')}\n`);
      return state.data.problem ? 1 : 0;
    }
    return await live(io, state, reader, tz);
  } finally {
    reader.close();
  }
}

function live(io: TopIO, state: TopState, reader: Reader, tz: string): Promise<number> {
  const { stdin, stdout } = io;
  let prev: string[] | null = null;
  let polling = false;
  let lastPoll = Number.NEGATIVE_INFINITY;
  let finished = false;

  return new Promise<number>((resolve) => {
    const draw = () => {
      if (finished) return;
      const width = stdout.columns ?? 80;
      const height = stdout.rows ?? 24;
      try {
        const lines = renderTop(state, width, height, io.clock(), tz);
        const update = frameUpdate(prev, lines, width, height);
        if (update) stdout.write(update);
        prev = lines;
      } catch (err) {
        fail(err); // the first draw runs before any handler could catch it
      }
    };
    const poll = async () => {
      if (polling || finished) return;
      polling = true;
      lastPoll = io.clock();
      try {
        state.data = await reader.read(io.clock());
        if (!state.focus || !state.data.profiles.some((p) => p.name === state.focus)) state.focus = initialFocus(io, state.data);
      } catch (err) {
        return fail(err);
      } finally {
        polling = false;
      }
      draw();
    };
    const onTick = () => {
      if (io.clock() - lastPoll >= (io.pollMs ?? POLL_MS)) void poll();
      else draw();
    };
    const onKey = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === 'q' || ch === 'Q' || ch === '\x03' || ch === '\x04') return finish(0);
        if (ch === 'p' || ch === 'P') {
          state.focus = nextFocus(state);
          draw();
        }
      }
    };
    const onResize = () => {
      prev = null;
      draw();
    };
    const onSignal = (signal: string) => () => finish(EXIT_ON_SIGNAL[signal]!);
    const signalHandlers = Object.keys(EXIT_ON_SIGNAL).map((s) => [s, onSignal(s)] as const);
    const fail = (err: unknown) => {
      finish(1);
      io.stderr.write(`ccx: top: ${(err as Error)?.stack ?? String(err)}\n`);
    };
    const timer = setInterval(onTick, io.tickMs ?? TICK_MS);

    function finish(code: number) {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      stdin.off('data', onKey);
      stdout.off?.('resize', onResize);
      for (const [s, fn] of signalHandlers) io.process.off(s, fn);
      io.process.off('uncaughtException', fail);
      io.process.off('unhandledRejection', fail);
      stdin.setRawMode?.(false);
      stdin.pause();
      stdout.write(LEAVE_SCREEN);
      resolve(code);
    }

    for (const [s, fn] of signalHandlers) io.process.on(s, fn);
    io.process.on('uncaughtException', fail);
    io.process.on('unhandledRejection', fail);
    stdout.write(ENTER_SCREEN);
    stdin.setRawMode?.(true);
    stdin.on('data', onKey);
    stdin.resume();
    stdout.on?.('resize', onResize);
    draw();
    void poll();
  });
}

/** The shell's profile (CCX_ACTIVE_PROFILE, or its config dir) when shown, else the first. */
function initialFocus(io: TopIO, data: TopData): string | null {
  const names = data.profiles.map((p) => p.name);
  let active: string | null = null;
  try {
    active = activeProfile(watchedProfiles(readConfig(io.paths.config), io.env), io.env);
  } catch {
    // a bad config.toml is already the reader's problem line
  }
  return active !== null && names.includes(active) ? active : (names[0] ?? null);
}

function nextFocus(state: TopState): string | null {
  const names = state.data?.profiles.map((p) => p.name) ?? [];
  if (names.length === 0) return null;
  const i = state.focus === null ? -1 : names.indexOf(state.focus);
  return names[(i + 1) % names.length]!;
}
