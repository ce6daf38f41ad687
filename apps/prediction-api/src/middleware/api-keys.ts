// The configured API keys, kept only as sha256 digests, and the constant-time check of a presented key.
import { createHash, timingSafeEqual } from 'node:crypto';

/** The sha256 digests of the accepted keys; an empty list means the server is open. */
export type ApiKeyDigests = readonly Buffer[];

const hashedEntry = /^sha256:([0-9a-f]{64})$/i;

export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * API_KEYS as digests: comma-separated entries, each a raw key or `sha256:<64 hex>` (so raw keys need not sit in
 * config). Errors name the entry by position, never by value: the message ends up in logs.
 */
export function parseApiKeys(list: string | undefined): ApiKeyDigests {
  const entries = (list ?? '').split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) return [];
  return entries.map((entry, i) => {
    if (entry === '') throw new Error(`entry ${i + 1} is empty (stray comma?)`);
    if (/^sha256:/i.test(entry)) {
      const hex = hashedEntry.exec(entry)?.[1];
      if (!hex) throw new Error(`entry ${i + 1} starts with sha256: but is not followed by 64 hex digits`);
      return Buffer.from(hex, 'hex');
    }
    return sha256(entry);
  });
}

/**
 * Which configured key (by position) the presented key is, or undefined. Every digest is compared with
 * timingSafeEqual, also after a match, so the time taken says nothing about which key matched or how much of it.
 */
export function matchApiKey(digests: ApiKeyDigests, presented: string): number | undefined {
  const presentedDigest = sha256(presented);
  let matched: number | undefined;
  digests.forEach((digest, i) => {
    const equal = timingSafeEqual(presentedDigest, digest);
    if (equal) matched ??= i;
  });
  return matched;
}
