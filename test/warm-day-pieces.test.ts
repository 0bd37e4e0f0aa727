// The day piece SQL (lib/store/rollup.ts dayPieceSql) is arithmetic on days of steady offset and
// asks dayPiece itself elsewhere: both must give dayPiece's answer for every 15-minute bucket over
// fourteen months (every DST change twice), in zones with DST, half- and quarter-hour offsets, a 30-minute DST (Lord Howe) and
// changes at midnight (Beirut, Santiago, whose September midnight does not exist), through real SQLite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { BUCKET_MS, dayPiece, dayPieceSql } from '../lib/store/rollup';

const ZONES = [
  'UTC',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Beirut',
  'Africa/Casablanca',
  'America/Santiago',
];
const FROM = Date.UTC(2024, 9, 1);
const TO = Date.UTC(2025, 11, 1);

test('day pieces in SQL equal dayPiece for every bucket, in every kind of zone', () => {
  const db = new Database(':memory:');
  try {
    db.exec('CREATE TABLE b (bucket INTEGER NOT NULL)');
    const add = db.prepare('INSERT INTO b VALUES (?)');
    db.transaction(() => {
      for (let t = FROM; t < TO; t += BUCKET_MS) add.run(t);
    })();
    for (const tz of ZONES) {
      const sql = dayPieceSql(db, tz, 'bucket', [FROM, TO - BUCKET_MS]);
      const whens = sql.split(' WHEN ').length - 1;
      // Fixed zones are one steady run; DST zones two per year or so; never per row.
      assert.ok(whens >= 1 && whens <= 12, `${tz}: ${whens} steady runs`);
      const rows = db.prepare(`SELECT bucket, ${sql} FROM b`).raw().all() as [number, number][];
      let checked = 0;
      for (const [ts, piece] of rows) {
        if (piece !== dayPiece(ts, tz)[0]) assert.equal(piece, dayPiece(ts, tz)[0], `${tz} at ${new Date(ts).toISOString()}`);
        checked++;
      }
      assert.equal(checked, (TO - FROM) / BUCKET_MS);
    }
  } finally {
    db.close();
  }
});
