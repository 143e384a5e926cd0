/**
 * Generates Berth's wire contract from the pinned Docker Engine API spec:
 *   src/api/types.gen.ts     TS types for every definition and the operations' inline schemas
 *   src/api/schemas.gen.json JSON Schema (draft-07, strict form) for runtime validation
 *   src/api/version.ts       SPEC_API_VERSION
 *
 * Usage: node dist/scripts/gen-api.js [--check] [swaggerPath]
 * The default spec path is ../shared/reference/docker-engine-api/swagger.yaml relative to the repo
 * root (found by walking up from this script to Berth's package.json). With --check nothing is
 * written: the files are regenerated in memory and the exit code is 1 if any committed file differs.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemasFile } from './gen-api/schemas-file.js';
import { parseSwagger } from './gen-api/swagger.js';
import { generatedHeader, typesFile } from './gen-api/types-file.js';

/** The repository root: the nearest ancestor of this script holding Berth's package.json. */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'berth'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`gen-api: no berth package.json above ${from}`);
  }
}

/** The generated files (path relative to the repo root → content) for a swagger.yaml text. */
export function generate(swaggerText: string): Map<string, string> {
  const doc = parseSwagger(swaggerText);
  if (!/^\d+\.\d+$/.test(doc.info.version)) {
    throw new Error(`gen-api: info.version ${doc.info.version} is not MAJOR.MINOR`);
  }
  const header = generatedHeader(doc.info.version);
  const version =
    `${header}\n\n/** The Engine API version of the pinned spec this build's wire types come from. */\n` +
    `export const SPEC_API_VERSION = '${doc.info.version}';\n`;
  const schemas = { $comment: header.slice(3), ...schemasFile(doc) };
  return new Map([
    ['src/api/types.gen.ts', typesFile(doc)],
    ['src/api/schemas.gen.json', `${JSON.stringify(schemas, null, 2)}\n`],
    ['src/api/version.ts', version],
  ]);
}

/** Paths (relative to root) whose content on disk differs from `files`. */
export function staleFiles(root: string, files: Map<string, string>): string[] {
  return [...files]
    .filter(([path, content]) => {
      const full = join(root, path);
      return !existsSync(full) || readFileSync(full, 'utf8') !== content;
    })
    .map(([path]) => path);
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const positional = argv.filter((a) => !a.startsWith('--'));
  const root = repoRoot();
  const specPath = resolve(
    positional[0] ?? join(root, '..', 'shared', 'reference', 'docker-engine-api', 'swagger.yaml'),
  );
  const files = generate(readFileSync(specPath, 'utf8'));
  if (check) {
    const stale = staleFiles(root, files);
    if (stale.length > 0) {
      console.error(
        `gen-api --check: ${stale.join(', ')} differ from what ${relative(root, specPath)} ` +
          'generates; run `npm run build && npm run gen:api` and commit the result.',
      );
      return 1;
    }
    console.log(`gen-api --check: generated files match ${relative(root, specPath)}`);
    return 0;
  }
  for (const [path, content] of files) writeFileSync(join(root, path), content);
  console.log(`gen-api: wrote ${[...files.keys()].join(', ')}`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
