// A real S3-compatible server (s3rver) on loopback, with the requests it answered counted: the tests prove
// "no re-download" by the GETs the server saw, not by a mocked client.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** Object keys fetched (GetObject), in order. */
  objectGets: string[];
  /** ListObjectsV2 calls. */
  listings(): number;
  put(key: string, body: Buffer | string): Promise<void>;
  remove(key: string): Promise<void>;
  /** Every file below `dir`, under `prefix`. */
  putFolder(dir: string, prefix: string): Promise<void>;
  close(): Promise<void>;
}

/** What the SDK needs from the environment to sign requests for s3rver (which accepts these keys). */
export const s3rverEnv = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export async function startTestS3(bucket = 'models'): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const objectGets: string[] = [];
  let listings = 0;
  server.httpServer.on('request', (req: { method?: string; url?: string }) => {
    if (req.method !== 'GET') return;
    const url = new URL(req.url ?? '/', 'http://s3');
    if (url.searchParams.get('list-type') === '2') listings += 1;
    else objectGets.push(decodeURIComponent(url.pathname.slice(`/${bucket}/`.length)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: s3rverEnv.AWS_REGION,
    credentials: { accessKeyId: s3rverEnv.AWS_ACCESS_KEY_ID, secretAccessKey: s3rverEnv.AWS_SECRET_ACCESS_KEY },
  });
  const put = async (key: string, body: Buffer | string) => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  };
  return {
    endpoint,
    bucket,
    objectGets,
    listings: () => listings,
    put,
    remove: async (key) => {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    putFolder: async (dir, prefix) => {
      for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const path = join(entry.parentPath, entry.name);
        await put(prefix + relative(dir, path), await readFile(path));
      }
    },
    close: async () => {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
