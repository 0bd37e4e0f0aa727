// Whether a profile has left any trace in the database: what decides if an unregistered default
// profile is watched (lib/profiles watchedProfiles).
import type { Db } from './open';

export function hasHookEvents(db: Db, profile: string): boolean {
  return db.prepare('SELECT 1 FROM hook_events WHERE profile = ? LIMIT 1').get(profile) !== undefined;
}
