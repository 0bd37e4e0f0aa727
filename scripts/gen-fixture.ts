// Writes a synthetic Claude Code transcript corpus shaped like real histories, for the scan
// benchmark: npm run gen:fixture -- --out DIR --size 1GiB [--profiles N] [--seed S] [--shape tools|chat]
//
// Shapes: `tools` (default): tool results carry most bytes, ~85 API responses per MiB. `chat`:
// short prompts and replies of several content blocks, ~3 KB per response, ~320 per MiB: the
// dense histories where per-response costs dominate.
// DIR/profile-<i>/projects/<project>/<session>.jsonl (+ <session>/subagents/agent-*.jsonl).
// 128 projects per profile; file sizes log-normal (median ~100 KB, p90 ~650 KB, p99 several MB)
// plus a few 50-100 MB files; assistant lines repeated per content block with growing output
// counts; sidechain replays, subagent files, malformed lines, null counts, lines over 10 MiB
// (never usage lines, so ccusage and ccx agree on totals), several models.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../lib/rng';

const MODELS = [
  'claude-sonnet-4-5-20250929',
  'claude-sonnet-4-5-20250929',
  'claude-opus-4-5-20251101',
  'claude-haiku-4-5-20251001',
  'claude-opus-4-6',
  'claude-sonnet-4-6',
  'claude-3-5-sonnet-20241022',
  'claude-experimental-x',
];
const WORDS =
  'the of and to in is for that with on as it be at by this are from or an was not but have which file test code function return value error const import export type data'.split(
    ' ',
  );
const PROJECTS = 128;
const START = Date.parse('2025-06-01T00:00:00Z');
const SPAN = 300 * 24 * 3600 * 1000;

export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i.exec(s);
  if (!m) throw new Error(`--size: cannot read "${s}" (e.g. 1GiB, 200MB)`);
  const unit = (m[2] ?? 'B').toLowerCase();
  const mult: Record<string, number> = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
  return Math.round(Number(m[1]) * mult[unit]!);
}

function args(argv: string[]) {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    out[a.slice(2)] = argv[++i] ?? '';
  }
  if (!out.out) throw new Error('usage: gen-fixture --out DIR --size 1GiB [--profiles N] [--seed S] [--shape tools|chat]');
  const shape = out.shape ?? 'tools';
  if (!isShape(shape)) throw new Error(`--shape: "${shape}" is not one of ${Object.keys(SHAPES).join(', ')}`);
  return { out: out.out, size: parseSize(out.size ?? '100MiB'), profiles: Number(out.profiles ?? 1), seed: Number(out.seed ?? 1), shape };
}

/** Per shape: content sizes (chars) and how often a tool result follows a response. */
const SHAPES = {
  tools: { prompt: [100, 1500], maxBlocks: 4, text: [50, 1500], thinking: [200, 2000], edit: [200, 3000], toolResults: 0.6 },
  chat: { prompt: [20, 200], maxBlocks: 4, text: [60, 300], thinking: [60, 240], edit: [50, 200], toolResults: 0.03 },
} as const;
export type Shape = keyof typeof SHAPES;
const isShape = (s: string): s is Shape => s in SHAPES;

export type GenerateOpts = { out: string; size: number; profiles: number; seed: number; shape?: Shape };

export function generate(opts: GenerateOpts): { files: number; bytes: number } {
  const shape = SHAPES[opts.shape ?? 'tools'];
  const between = ([lo, hi]: readonly [number, number]) => lo + Math.floor(r() * (hi - lo));
  const r = rng(opts.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const text = (n: number) => {
    let s = '';
    while (s.length < n) s += `${pick(WORDS)} `;
    return s.slice(0, n);
  };
  // A pool of filler text so a GiB is produced at disk speed, not at Math.random speed.
  const pool = text(1 << 20);
  const filler = (n: number) => {
    const at = Math.floor(r() * (pool.length - Math.min(n, pool.length)));
    return n <= pool.length ? pool.slice(at, at + n) : pool.repeat(Math.ceil(n / pool.length)).slice(0, n);
  };

  let ids = 0;
  let written = 0;
  let files = 0;
  const perProfile = opts.size / opts.profiles;
  for (let p = 1; p <= opts.profiles; p++) {
    const configDir = join(opts.out, `profile-${p}`);
    const projects = Array.from({ length: PROJECTS }, (_, i) => `-home-dev-src-project-${p}-${i}`);
    const targets: number[] = [];
    // A few huge histories (50-100 MB), about one per 512 MiB, then the log-normal bulk.
    const huge = Math.max(perProfile >= 300e6 ? 1 : 0, Math.round(perProfile / (512 * 1024 ** 2)));
    let planned = 0;
    for (let i = 0; i < huge; i++) {
      const s = Math.round((50 + r() * 50) * 1e6);
      targets.push(s);
      planned += s;
    }
    while (planned < perProfile) {
      const s = Math.min(Math.round(100e3 * Math.exp(1.46 * normal())), 20e6, perProfile - planned);
      targets.push(Math.max(s, 600));
      planned += Math.max(s, 600);
    }
    for (const target of targets) {
      const project = pick(projects);
      const session = `${(++ids).toString(16).padStart(8, '0')}-4a3b-4c5d-8e9f-${Math.floor(r() * 1e12)
        .toString(16)
        .padStart(12, '0')}`;
      const cwd = `/${project.slice(1).replace(/-/g, '/')}`;
      const dir = join(configDir, 'projects', project);
      mkdirSync(dir, { recursive: true });
      // ~8% of sessions also ran a subagent: part of the budget goes to its own file.
      const sub = r() < 0.08 ? Math.round(target * 0.3) : 0;
      written += writeSession(join(dir, `${session}.jsonl`), target - sub, session, cwd, false);
      files++;
      if (sub > 0) {
        const subDir = join(dir, session, 'subagents');
        mkdirSync(subDir, { recursive: true });
        written += writeSession(join(subDir, `agent-${Math.floor(r() * 1e9).toString(16)}.jsonl`), sub, session, cwd, true);
        files++;
      }
    }
  }
  return { files, bytes: written };

  function writeSession(file: string, target: number, session: string, cwd: string, subagent: boolean): number {
    const fd = openSync(file, 'w');
    let size = 0;
    let chunk: string[] = [];
    let chunkLen = 0;
    let t = START + Math.floor(r() * SPAN);
    const model = pick(MODELS);
    const base = {
      parentUuid: null as string | null,
      isSidechain: subagent,
      userType: 'external',
      cwd,
      sessionId: session,
      version: '2.0.14',
      gitBranch: 'main',
    };
    const emit = (o: unknown) => {
      const line = `${JSON.stringify(o)}\n`;
      chunk.push(line);
      chunkLen += line.length;
      size += line.length;
      if (chunkLen > 1 << 20) flush();
    };
    const raw = (line: string) => {
      chunk.push(line);
      chunkLen += line.length;
      size += line.length;
      flush();
    };
    const flush = () => {
      writeSync(fd, chunk.join(''));
      chunk = [];
      chunkLen = 0;
    };
    let prev: { id: string; req: string; usage: Record<string, unknown>; model: string } | null = null;
    while (size < target) {
      t += 1000 + Math.floor(r() * 120_000);
      const ts = new Date(t).toISOString();
      const roll = r();
      if (roll < 0.0015) {
        raw(`{"type":"assistant","timestamp":"${ts}","message":{"id":"msg_trunc","usage":{"input_tok\n`);
        continue;
      }
      if (roll < 0.002) {
        emit({
          ...base,
          type: 'assistant',
          timestamp: ts,
          requestId: `req_${++ids}`,
          message: { id: `msg_${++ids}`, model, usage: { input_tokens: null, output_tokens: 5 } },
        });
        continue;
      }
      if (roll < 0.0021 && target > 30e6) {
        // A giant tool result, over the 10 MiB line limit.
        emit({
          ...base,
          type: 'user',
          timestamp: ts,
          message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: filler(11 * 1024 * 1024) }] },
        });
        continue;
      }
      if (roll < 0.02) {
        emit({
          type: 'file-history-snapshot',
          messageId: `u${ids}`,
          snapshot: { trackedFileBackups: { [`${cwd}/src/a.ts`]: { backupFileName: 'x@v1', version: 1, backupTime: ts } }, timestamp: ts },
          isSnapshotUpdate: false,
        });
        continue;
      }
      if (roll < 0.03 && prev && !subagent) {
        // A sidechain replay of a message already in the main chain: same key, same tokens.
        emit({
          ...base,
          isSidechain: true,
          type: 'assistant',
          timestamp: ts,
          requestId: prev.req,
          message: {
            id: prev.id,
            type: 'message',
            role: 'assistant',
            model: prev.model,
            content: [{ type: 'text', text: filler(200) }],
            usage: prev.usage,
          },
        });
        continue;
      }
      emit({
        ...base,
        type: 'user',
        timestamp: ts,
        uuid: `u${++ids}`,
        message: { role: 'user', content: filler(between(shape.prompt)) },
      });
      // One API response, written once per content block with the output count growing.
      const m = r() < 0.9 ? model : pick(MODELS);
      const id = `msg_01${(++ids).toString(36)}`;
      const req = r() < 0.97 ? `req_011C${ids.toString(36)}` : null;
      const blocks = req ? 1 + Math.floor(r() * shape.maxBlocks) : 1;
      const input = Math.floor(r() * 50);
      const output = 20 + Math.floor(r() * 2000);
      const cacheRead = Math.floor(r() * 150_000);
      const c5 = r() < 0.5 ? Math.floor(r() * 5000) : 0;
      const c1 = r() < 0.3 ? Math.floor(r() * 8000) : 0;
      let usage: Record<string, unknown> = {};
      for (let b = 0; b < blocks; b++) {
        usage = {
          input_tokens: input,
          cache_creation_input_tokens: c5 + c1,
          cache_read_input_tokens: cacheRead,
          cache_creation: { ephemeral_5m_input_tokens: c5, ephemeral_1h_input_tokens: c1 },
          output_tokens: b === blocks - 1 ? output : Math.floor(output / (blocks - b + 1)),
          service_tier: 'standard',
        };
        const kind = b === 0 && blocks > 1 ? 'thinking' : b === blocks - 1 && blocks > 2 ? 'tool_use' : 'text';
        const content =
          kind === 'thinking'
            ? [{ type: 'thinking', thinking: filler(between(shape.thinking)), signature: filler(300) }]
            : kind === 'tool_use'
              ? [
                  {
                    type: 'tool_use',
                    id: `toolu_${ids}`,
                    name: 'Edit',
                    input: { file_path: `${cwd}/src/x.ts`, old_string: filler(200), new_string: filler(between(shape.edit)) },
                  },
                ]
              : [{ type: 'text', text: filler(between(shape.text)) }];
        const line: Record<string, unknown> = {
          ...base,
          type: 'assistant',
          timestamp: new Date(t + b * 50).toISOString(),
          uuid: `a${ids}-${b}`,
          message: { id, type: 'message', role: 'assistant', model: m, content, stop_reason: null, usage },
        };
        if (req) line.requestId = req;
        emit(line);
      }
      if (req) prev = { id, req, usage, model: m };
      if (r() < shape.toolResults) {
        // Tool results: the bulk of a real transcript's bytes.
        const big = r() < 0.05 ? 20_000 + Math.floor(r() * 200_000) : 300 + Math.floor(r() * 6000);
        emit({
          ...base,
          type: 'user',
          timestamp: ts,
          uuid: `u${++ids}`,
          message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${ids}`, content: filler(big) }] },
          toolUseResult: { stdout: filler(Math.floor(big / 4)), stderr: '' },
        });
      }
    }
    flush();
    closeSync(fd);
    return size;
  }
}

// By file name: bench-scan bundles this file too, and there `require.main === module` holds as well.
if (require.main?.filename.endsWith('gen-fixture.js')) {
  try {
    const opts = args(process.argv.slice(2));
    const t0 = Date.now();
    const { files, bytes } = generate(opts);
    console.log(
      `wrote ${files} files, ${(bytes / 1024 ** 2).toFixed(1)} MiB, ${opts.profiles} profile(s), shape ${opts.shape}, seed ${opts.seed} into ${opts.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } catch (err) {
    console.error(`gen-fixture: ${(err as Error).message}`);
    process.exit(2);
  }
}
