import { conflict } from '../../errors/index.js';
import type { ContainerContext } from './context.js';

/** Freezes a running container's processes (the freezer cgroup, through the runtime). */
export async function pauseContainer(ctx: ContainerContext, idOrName: string): Promise<void> {
  const { id } = ctx.lookup(idOrName);
  await ctx.mutex.run(id, async () => {
    const c = ctx.reload(id);
    const status = ctx.status(c);
    if (status === 'paused') throw conflict(`Container ${id} is already paused`);
    if (status !== 'running') throw conflict(`Container ${id} is not running`);
    await ctx.deps.runtime.pause(id);
    ctx.deps.repo.saveState(id, { ...c.state, status: 'paused' });
    ctx.deps.events.publish('container', 'pause', id, { name: c.name, image: c.imageRef });
  });
}

/** Thaws a paused container. */
export async function unpauseContainer(ctx: ContainerContext, idOrName: string): Promise<void> {
  const { id } = ctx.lookup(idOrName);
  await ctx.mutex.run(id, async () => {
    const c = ctx.reload(id);
    if (ctx.status(c) !== 'paused') throw conflict(`Container ${id} is not paused`);
    await ctx.deps.runtime.resume(id);
    ctx.deps.repo.saveState(id, { ...c.state, status: 'running' });
    ctx.deps.events.publish('container', 'unpause', id, { name: c.name, image: c.imageRef });
  });
}
