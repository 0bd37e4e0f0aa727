// Which IANA zone ccx works in, from a TZ value. TZ may hold what the C library understands but
// Intl (and so every zoned function) rejects: `:/etc/localtime`, `UTC0`, `EST5`,
// `CET-1CEST,M3.5.0,M10.5.0/3`. Those are mapped to an IANA name where that is exact; anything
// else falls back to the system zone, then UTC, so a zone can never stop quota.
import { readlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Area/Location names; the first part has no digits, which tells them from POSIX values. */
const IANA_NAME = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/;
/** The POSIX-looking names tzdata itself has (US zones with DST rules). */
const IANA_POSIX_NAMES: ReadonlySet<string> = new Set(['EST5EDT', 'CST6CDT', 'MST7MDT', 'PST8PDT']);
/** A POSIX zone without DST: a name, then hours west of UTC ([+-]hh[:mm[:ss]]). */
const POSIX_FIXED = /^(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)([+-]?)(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}))?$/;

const isIanaName = (v: string) => IANA_NAME.test(v) || IANA_POSIX_NAMES.has(v);

/** The IANA name of a path under a zoneinfo/ directory (posix/ and right/ are the same zones). */
function nameUnderZoneinfo(path: string): string | null {
  const at = path.lastIndexOf('/zoneinfo/');
  const name = at < 0 ? '' : path.slice(at + '/zoneinfo/'.length).replace(/^(posix|right)\//, '');
  return isIanaName(name) ? name : null;
}

/** The zone a zoneinfo file is, following symlinks one at a time to the first under zoneinfo/. */
function zoneOfFile(path: string): string | null {
  let p = path;
  for (let hops = 0; hops < 8; hops++) {
    const name = nameUnderZoneinfo(p);
    if (name) return name;
    try {
      p = resolve(dirname(p), readlinkSync(p));
    } catch {
      return null; // not a link: a copied zone file does not say which zone it is
    }
  }
  return null;
}

/** POSIX `<name>[+-]h` → Etc/GMT±h (same sign: both count hours west); whole hours only. */
function etcZoneOf(sign: string, hours: number, minutes: number, seconds: number): string | null {
  if (minutes || seconds) return null;
  if (hours === 0) return 'UTC';
  const west = sign !== '-';
  return hours <= (west ? 12 : 14) ? `Etc/GMT${west ? '+' : '-'}${hours}` : null;
}

/** The IANA zone a TZ value names exactly, or null. */
function zoneOfTz(tz: string): string | null {
  const v = tz.startsWith(':') ? tz.slice(1) : tz;
  if (v.startsWith('/')) return zoneOfFile(v);
  if (v === 'Z') return 'UTC';
  const fixed = POSIX_FIXED.exec(v);
  if (fixed) return etcZoneOf(fixed[1]!, Number(fixed[2]), Number(fixed[3] ?? 0), Number(fixed[4] ?? 0));
  return isIanaName(v) ? v : null;
}

let localtime: string | null | undefined;

/** The IANA name /etc/localtime links to, or null. */
function localtimeZone(): string | null {
  if (localtime === undefined) localtime = zoneOfFile('/etc/localtime');
  return localtime;
}

/**
 * The zone Date's local methods follow, as an IANA name, or null when not known for sure:
 * process.env.TZ when it is an IANA name (a POSIX value makes Date follow rules of its own),
 * else the target of /etc/localtime.
 */
export function processZone(): string | null {
  const tz = process.env.TZ;
  if (!tz) return localtimeZone();
  const v = tz.startsWith(':') ? tz.slice(1) : tz;
  return isIanaName(v) ? v : null;
}

/**
 * The IANA zone for the TZ value `tz` (unset or empty: the system's). A value naming no zone
 * exactly gives the system zone (/etc/localtime), else UTC, and says so through `log`.
 */
export function resolveTimeZone(tz: string | undefined, log?: (msg: string) => void): string {
  if (tz) {
    const zone = zoneOfTz(tz);
    if (zone) return zone;
    const fallback = localtimeZone() ?? 'UTC';
    log?.(`TZ=${JSON.stringify(tz)} names no zone ccx can use exactly; using ${fallback}`);
    return fallback;
  }
  return localtimeZone() ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
}
