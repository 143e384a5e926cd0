import { invalidParameter } from '../../errors/index.js';
import type { ContainerContext } from './context.js';
import { checkName } from './names.js';

/**
 * Renames a container. The UNIQUE name column makes the claim atomic: a taken name is Docker's
 * 409 Conflict, and the old name is free the moment the statement commits.
 */
export async function renameContainer(
  ctx: ContainerContext,
  idOrName: string,
  newName: string,
): Promise<void> {
  if (newName === '') throw invalidParameter('Neither old nor new names may be empty');
  const name = checkName(newName);
  const { id } = ctx.lookup(idOrName);
  await ctx.mutex.run(id, async () => {
    const c = ctx.reload(id);
    if (c.name === name) {
      throw invalidParameter('Renaming a container with the same name as its current name');
    }
    ctx.deps.repo.rename(id, name);
    ctx.deps.events.publish('container', 'rename', id, {
      name,
      oldName: `/${c.name}`,
      image: c.imageRef,
    });
  });
}
