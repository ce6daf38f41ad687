// The benchmark's floor: Hono's hello world on @hono/node-server, no model. Run as its own process by serve-benchmark.ts.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const [portArg = '0'] = process.argv.slice(2);
const app = new Hono().get('/', (c) => c.text('Hello Hono!'));
serve({ fetch: app.fetch, port: Number(portArg), hostname: '127.0.0.1' }, (info) => {
  console.log(JSON.stringify({ msg: 'listening', port: info.port }));
});
