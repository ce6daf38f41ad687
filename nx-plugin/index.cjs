// The entry Nx loads (with require()) for `plugins` in nx.json and for the generators. Nx transpiles a
// TypeScript plugin only through swc-node or ts-node, or Node's own type stripping (Node 22.18+), and this
// workspace has neither on Node 20: tsx, which already runs every other script here, imports the TypeScript
// sources on first use, with the workspace's path aliases.
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const options = { parentURL: pathToFileURL(__filename).href, tsconfig: join(__dirname, '..', 'tsconfig.base.json') };
// tsx's ESM build: its CommonJS build registers its loader from a path that the package does not ship.
const load = async (path) => (await import('tsx/esm/api')).tsImport(path, options);

/** @type {import('@nx/devkit').CreateNodesV2} */
exports.createNodesV2 = [
  'services/*/service.json',
  async (files, pluginOptions, context) => (await load('./src/plugin.ts')).createServiceNodes(files, pluginOptions, context),
];

exports.serviceGenerator = async (tree, schema) => (await load('./src/generators/service/generator.ts')).serviceGenerator(tree, schema);
exports.modelGenerator = async (tree, schema) => (await load('./src/generators/model/generator.ts')).modelGenerator(tree, schema);
