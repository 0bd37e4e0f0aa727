// lib/transcripts: the incremental transcript scanner and its usage ledger (see README.md).
export { scanProfiles, type ScanOpts, type ScanStats } from './scan';
export { listTranscripts } from './files';
