import { conflict } from '../../errors/index.js';
import type { MetadataDb } from './database.js';

/** The run state columns of a container, as the monitor and the lifecycle verbs update them. */
export interface ContainerRunState {
  status: string;
  pid: number;
  pidStartTime: string | null;
  conmonPid: number;
  exitCode: number;
  error: string;
  oomKilled: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  restartCount: number;
  /** The user stopped it: restart policies leave it alone until it is started again. */
  manuallyStopped: boolean;
}

/** The run state of a container that has just been created. */
export function createdRunState(): ContainerRunState {
  return {
    status: 'created',
    pid: 0,
    pidStartTime: null,
    conmonPid: 0,
    exitCode: 0,
    error: '',
    oomKilled: false,
    startedAt: null,
    finishedAt: null,
    restartCount: 0,
    manuallyStopped: false,
  };
}

/** A stored container. `config` is opaque JSON owned by the containers service. */
export interface StoredContainer<C> {
  id: string;
  name: string;
  imageId: string;
  imageRef: string;
  createdAt: string;
  config: C;
  state: ContainerRunState;
}

interface Row {
  id: string;
  name: string;
  image_id: string;
  image_ref: string;
  created_at: string;
  config: string;
  status: string;
  pid: number;
  pid_start_time: string | null;
  conmon_pid: number;
  exit_code: number;
  error: string;
  oom_killed: number;
  started_at: string | null;
  finished_at: string | null;
  restart_count: number;
  manually_stopped: number;
}

function fromRow<C>(r: Row): StoredContainer<C> {
  return {
    id: r.id,
    name: r.name,
    imageId: r.image_id,
    imageRef: r.image_ref,
    createdAt: r.created_at,
    config: JSON.parse(r.config) as C,
    state: {
      status: r.status,
      pid: r.pid,
      pidStartTime: r.pid_start_time,
      conmonPid: r.conmon_pid,
      exitCode: r.exit_code,
      error: r.error,
      oomKilled: r.oom_killed !== 0,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      restartCount: r.restart_count,
      manuallyStopped: r.manually_stopped !== 0,
    },
  };
}

/** Containers by id and name. Names are claimed in the same statement that creates the row. */
export class ContainersRepository<C> {
  private readonly stmts;

  constructor(private readonly db: MetadataDb) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO containers (id, name, image_id, image_ref, created_at, config, status)
         VALUES (@id, @name, @imageId, @imageRef, @createdAt, @config, @status)`,
      ),
      byId: db.prepare('SELECT * FROM containers WHERE id = ?'),
      byName: db.prepare('SELECT * FROM containers WHERE name = ?'),
      byPrefix: db.prepare(
        "SELECT * FROM containers WHERE id >= ? AND id < ? || 'g' ORDER BY id LIMIT 2",
      ),
      all: db.prepare('SELECT * FROM containers ORDER BY created_at DESC, id'),
      updateState: db.prepare(
        `UPDATE containers SET status = @status, pid = @pid, pid_start_time = @pidStartTime,
           conmon_pid = @conmonPid, exit_code = @exitCode, error = @error, oom_killed = @oomKilled,
           started_at = @startedAt, finished_at = @finishedAt, restart_count = @restartCount,
           manually_stopped = @manuallyStopped
         WHERE id = @id`,
      ),
      rename: db.prepare('UPDATE containers SET name = ? WHERE id = ?'),
      updateConfig: db.prepare('UPDATE containers SET config = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM containers WHERE id = ?'),
      countByImage: db.prepare('SELECT count(*) AS n FROM containers WHERE image_id = ?'),
    };
  }

  /** The conflict a taken name gives, in Docker's words. */
  private nameTaken(name: string): Error {
    const holder = this.byName(name);
    return conflict(
      `Conflict. The container name "/${name}" is already in use by container "${holder?.id ?? ''}". ` +
        'You have to remove (or rename) that container to be able to reuse that name.',
    );
  }

  /** Renames a container; Conflict when the name is taken (the UNIQUE constraint decides). */
  rename(id: string, name: string): void {
    try {
      this.stmts.rename.run(name, id);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw this.nameTaken(name);
      throw e;
    }
  }

  /**
   * Stores a new container. Throws Conflict when the name is taken: the UNIQUE constraint makes
   * the name claim and the creation one atomic step.
   */
  insert(c: StoredContainer<C>): void {
    try {
      this.stmts.insert.run({
        id: c.id,
        name: c.name,
        imageId: c.imageId,
        imageRef: c.imageRef,
        createdAt: c.createdAt,
        config: JSON.stringify(c.config),
        status: c.state.status,
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw this.nameTaken(c.name);
      throw e;
    }
  }

  byId(id: string): StoredContainer<C> | undefined {
    const r = this.stmts.byId.get(id) as Row | undefined;
    return r && fromRow<C>(r);
  }

  byName(name: string): StoredContainer<C> | undefined {
    const r = this.stmts.byName.get(name) as Row | undefined;
    return r && fromRow<C>(r);
  }

  /** Up to two containers whose id starts with `prefix` (two means ambiguous). */
  byIdPrefix(prefix: string): StoredContainer<C>[] {
    return (this.stmts.byPrefix.all(prefix, prefix) as Row[]).map((r) => fromRow<C>(r));
  }

  /** Every container, newest first. */
  all(): StoredContainer<C>[] {
    return (this.stmts.all.all() as Row[]).map((r) => fromRow<C>(r));
  }

  saveState(id: string, s: ContainerRunState): void {
    this.stmts.updateState.run({
      id,
      ...s,
      oomKilled: s.oomKilled ? 1 : 0,
      manuallyStopped: s.manuallyStopped ? 1 : 0,
    });
  }

  /** Replaces a container's stored configuration (POST /update). */
  saveConfig(id: string, config: C): void {
    this.stmts.updateConfig.run(JSON.stringify(config), id);
  }

  remove(id: string): void {
    this.stmts.remove.run(id);
  }

  countUsingImage(imageId: string): number {
    return (this.stmts.countByImage.get(imageId) as { n: number }).n;
  }
}
