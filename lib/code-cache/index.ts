// lib/code-cache: load a bundle with a V8 code cache only ccx can have written (see README.md).
export { STALE_CACHE_MS } from './cache-file';
export { requireCached } from './require-cached';
