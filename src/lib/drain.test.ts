import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { drainOrClose } from './drain.js';

test('resolves on drain or on close and leaves no listener behind', async () => {
  for (const event of ['drain', 'close']) {
    const w = new EventEmitter();
    const p = drainOrClose(w);
    assert.equal(w.listenerCount('drain') + w.listenerCount('close'), 2);
    w.emit(event);
    await p;
    assert.equal(w.listenerCount('drain') + w.listenerCount('close'), 0, event);
  }
});
