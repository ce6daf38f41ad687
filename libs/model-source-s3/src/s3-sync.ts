// Mirrors the store files under an S3 prefix into a local folder, fetching only what changed: one listing
// (ETags) per check, a GET only for a file whose ETag differs from the copy already on disk.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { type S3Location, storeFileOf } from './s3-location';
import { s3Sdk } from './s3-sdk';

/** Store file (relative path) → the ETag of the copy on local disk. */
export type LocalManifest = Map<string, string>;

export interface SyncResult {
  /** Store files fetched, as relative paths. */
  downloaded: string[];
  /** Store files deleted locally because they left the bucket. */
  removed: string[];
  /** Keys under the prefix that are not store files, so were not fetched. */
  ignored: string[];
}

export const syncChanged = (result: SyncResult): boolean => result.downloaded.length > 0 || result.removed.length > 0;

/**
 * Brings `localDir` in line with the bucket. `manifest` is updated file by file as each lands, so a sync that
 * fails half-way leaves it true to the disk, and the next sync fetches only what is still missing.
 */
export async function syncPrefix(
  client: S3Client,
  location: S3Location,
  localDir: string,
  manifest: LocalManifest,
): Promise<SyncResult> {
  const { files, ignored } = await listStoreFiles(client, location);
  const result: SyncResult = { downloaded: [], removed: [], ignored };
  for (const [file, etag] of files) {
    if (manifest.get(file) === etag) continue;
    const stored = await download(client, location, file, join(localDir, file));
    // The ETag of what was written, which is newer than the listing's if the object changed in between.
    manifest.set(file, stored ?? etag);
    result.downloaded.push(file);
  }
  for (const file of [...manifest.keys()].filter((f) => !files.has(f))) {
    await rm(join(localDir, file), { force: true });
    await removeEmptyFolders(localDir, file);
    manifest.delete(file);
    result.removed.push(file);
  }
  return result;
}

async function listStoreFiles(
  client: S3Client,
  location: S3Location,
): Promise<{ files: Map<string, string>; ignored: string[] }> {
  const files = new Map<string, string>();
  const ignored: string[] = [];
  const { ListObjectsV2Command } = await s3Sdk();
  let continuationToken: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.prefix, ContinuationToken: continuationToken }),
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key || object.Key.endsWith('/')) continue;
      const file = storeFileOf(location, object.Key);
      if (file && object.ETag) files.set(file, object.ETag);
      else ignored.push(object.Key);
    }
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
  return { files, ignored };
}

/** Streams one object to disk (never whole in memory: models can be large) and returns its ETag. */
async function download(client: S3Client, location: S3Location, file: string, path: string): Promise<string | undefined> {
  const key = location.prefix + file;
  const { GetObjectCommand } = await s3Sdk();
  const object = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
  if (!(object.Body instanceof Readable)) throw new Error(`s3://${location.bucket}/${key}: the response has no body stream`);
  await mkdir(dirname(path), { recursive: true });
  // Written beside and renamed into place, so a failed download never leaves half a file under the real name.
  const partial = `${path}.download`;
  try {
    await pipeline(object.Body, createWriteStream(partial));
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw new Error(`s3://${location.bucket}/${key}: download failed: ${(error as Error).message}`, { cause: error });
  }
  return object.ETag;
}

/** A removed version's folder would otherwise be listed as "no model.onnx in it". */
async function removeEmptyFolders(localDir: string, file: string): Promise<void> {
  for (let folder = dirname(file); folder !== '.'; folder = dirname(folder)) {
    const removed = await rmdir(join(localDir, folder)).then(
      () => true,
      () => false,
    );
    if (!removed) return;
  }
}
