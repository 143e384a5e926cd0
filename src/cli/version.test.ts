import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { CLI_VERSION, VERSION_LINE } from './version.js';

test('the CLI version matches package.json', async () => {
  const pkg = JSON.parse(
    await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
  ) as {
    version: string;
  };
  assert.equal(CLI_VERSION, pkg.version);
  assert.equal(VERSION_LINE, `berth version ${pkg.version}`);
});
