import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { berthCli, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { PROMPT, startTmux, type TmuxTerminal } from '../../helpers/tmux.js';

// Interactive flows through a real pty: tmux runs the real docker CLI and the berth CLI.
let d: TestDaemon;
let term: TmuxTerminal;
before(async () => {
  d = await startTestDaemon();
  term = await startTmux({
    DOCKER_HOST: d.host,
    DOCKER_CONFIG: join(d.dataRoot, '..', 'docker-config'),
  });
});
after(async () => {
  await term?.kill();
  await d.cleanup();
});

async function running(name: string): Promise<boolean> {
  const c = await d.client.containerInspect(name);
  return c.State?.Running === true;
}

/** The interactive scenario of the issue, with `cli` as the client ("docker" or a berth line). */
async function scenario(cli: string, name: string, attachExit: number): Promise<void> {
  await term.resize(100, 30);
  await term.clear();
  await term.line(`${cli} run -it --name ${name} busybox sh`);
  await term.waitFor(/^\/ # ?$/m);
  await term.line('echo $((6*7))');
  await term.waitFor(/^42$/m);

  const [rows, cols] = await term.size();
  await term.clear();
  await term.line('stty size');
  await term.waitFor(new RegExp(`^${rows} ${cols}$`, 'm'));

  await term.resize(120, 40);
  await new Promise((r) => setTimeout(r, 300)); // SIGWINCH → the CLI → POST /resize
  await term.clear();
  await term.line('stty size');
  await term.waitFor(/^40 120$/m);

  await term.keys('C-p', 'C-q');
  await term.waitFor(PROMPT);
  assert.equal(await running(name), true, 'still running after the detach');

  await term.clear();
  await term.line(`${cli} attach ${name}`);
  await new Promise((r) => setTimeout(r, 1000));
  await term.line('echo again-$((2+3))');
  await term.waitFor(/^again-5$/m);
  await term.keys('C-p', 'C-q');
  await term.waitFor(/read escape sequence\s*\nOUT\$ ?$/m);
  await term.line('echo rc=$?');
  await term.waitFor(new RegExp(`^rc=${attachExit}$`, 'm'));
  assert.equal(await running(name), true, 'still running after the second detach');

  await term.clear();
  await term.line(`${cli} attach ${name}`);
  await new Promise((r) => setTimeout(r, 1000));
  await term.line('exit 3');
  await term.waitFor(PROMPT);
  await term.line('echo rc=$?');
  await term.waitFor(/^rc=3$/m);
  assert.equal(await running(name), false);
  const ins = await d.client.containerInspect(name);
  assert.equal(ins.State?.ExitCode, 3);
}

test('docker run -it: prompt, commands, size, resize, detach, re-attach, exit 3', async () => {
  await scenario('docker', 't1', 1);
});

test('berth run -it and berth attach: the same flow', async () => {
  await scenario(`${process.execPath} ${berthCli} -H ${d.host}`, 'b1', 1);
});
