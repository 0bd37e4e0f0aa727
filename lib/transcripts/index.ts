// lib/transcripts: the incremental transcript scanner and its usage ledger (see README.md).

export { listTranscripts } from './files';
export { type ScanOpts, type ScanStats, scanProfiles } from './scan';
