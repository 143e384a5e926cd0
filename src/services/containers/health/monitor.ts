import type { EngineEvent } from '../../../events/event-bus.js';
import type { ContainerContext } from '../context.js';
import { containerEventAttributes } from '../event-attributes.js';
import { isKnownTest, probeOf, type Probe } from './config.js';
import { runProbe, type ProbeExecs } from './probe.js';
import { applyProbeResult, startingHealth, stoppedHealth } from './state-machine.js';

/** setTimeout's largest delay; longer waits are taken in several steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One running check loop of one container. */
interface Session {
  id: string;
  probe: Probe;
  /** The container's start (epoch ms): the start period counts from here. */
  startedAtMs: number;
  timer: NodeJS.Timeout | undefined;
  stopped: boolean;
}

/**
 * Runs every container's health check: a loop per running container with a probe, started on its
 * `start` (state reset to `starting`) or `unpause` event, stopped on `die`, `pause` and `destroy`
 * (the state then reads `unhealthy`, as Docker's; `destroy` forgets it). Probes run one at a
 * time per container, `interval` apart (`startInterval` while starting within the start period),
 * as execs through {@link ProbeExecs}. Status changes are published as `health_status: <status>`
 * container events. State lives in memory only (`ctx.health`): after a daemon restart, running
 * containers start over at `starting` (see {@link resumeRunning}). Timers are unref'd.
 */
export class HealthMonitor {
  private readonly sessions = new Map<string, Session>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    private readonly ctx: ContainerContext,
    private readonly execs: ProbeExecs,
  ) {
    this.unsubscribe = ctx.deps.events.subscribe((ev) => this.onEvent(ev));
  }

  private onEvent(ev: EngineEvent): void {
    if (ev.type !== 'container') return;
    const id = ev.actor.id;
    switch (ev.action) {
      case 'start':
        return this.begin(id, true);
      case 'unpause':
        return this.begin(id, false);
      case 'die':
      case 'pause':
        return this.end(id);
      case 'destroy':
        this.end(id);
        this.ctx.health.delete(id);
        return;
      default:
        return;
    }
  }

  /** Starts the checks of every running container that has none (after a daemon restart). */
  resumeRunning(): void {
    for (const c of this.ctx.deps.repo.all()) {
      if (c.state.status === 'running' && !this.sessions.has(c.id)) this.begin(c.id, true);
    }
  }

  /** Stops every loop for good (daemon shutdown); later events start nothing. */
  clear(): void {
    this.closed = true;
    this.unsubscribe();
    for (const s of this.sessions.values()) this.halt(s);
    this.sessions.clear();
  }

  /** Starts a container's loop; `reset` puts its state back to `starting` (a new start). */
  private begin(id: string, reset: boolean): void {
    if (this.closed) return;
    const c = this.ctx.deps.repo.byId(id);
    if (!c) return;
    const config = c.config.healthcheck ?? null;
    const probe = probeOf(config);
    if (probe === null) {
      if (config && !isKnownTest(config.test)) {
        this.ctx.deps.log(`unknown healthcheck type '${config.test[0]}' in container ${id}`);
      }
      return;
    }
    const running = this.sessions.get(id);
    if (running) this.halt(running);
    const prev = this.ctx.health.get(id);
    if (reset || !prev) this.ctx.health.set(id, startingHealth(prev));
    const startedAtMs = Date.parse(c.state.startedAt ?? '');
    const session: Session = {
      id,
      probe,
      startedAtMs: Number.isFinite(startedAtMs) ? startedAtMs : Date.now(),
      timer: undefined,
      stopped: false,
    };
    this.sessions.set(id, session);
    this.schedule(session, Date.now() + this.nextInterval(session) / 1e6);
  }

  /** Stops a container's loop; its state then reads `unhealthy`. */
  private end(id: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.halt(s);
    this.sessions.delete(id);
    const state = this.ctx.health.get(id);
    if (state) this.ctx.health.set(id, stoppedHealth(state));
  }

  private halt(s: Session): void {
    s.stopped = true;
    clearTimeout(s.timer);
  }

  /** Docker's rule: `startInterval` while still starting within the start period. */
  private nextInterval(s: Session): number {
    const inStartPeriod = Date.now() - s.startedAtMs < s.probe.startPeriodNs / 1e6;
    const starting = this.ctx.health.get(s.id)?.status === 'starting';
    return inStartPeriod && starting ? s.probe.startIntervalNs : s.probe.intervalNs;
  }

  private schedule(s: Session, dueMs: number): void {
    if (s.stopped) return;
    const wait = Math.min(Math.max(0, dueMs - Date.now()), MAX_TIMER_MS);
    s.timer = setTimeout(() => {
      if (Date.now() < dueMs) this.schedule(s, dueMs);
      else void this.tick(s);
    }, wait);
    s.timer.unref();
  }

  /** Runs one probe, records it, publishes a status change, and schedules the next one. */
  private async tick(s: Session): Promise<void> {
    try {
      const result = await runProbe(this.execs, s.id, s.probe, this.ctx.deps.log);
      // A result that comes back after the loop was stopped (container stopped) is dropped.
      if (s.stopped || this.closed) return;
      const before = this.ctx.health.get(s.id) ?? startingHealth();
      const after = applyProbeResult(before, result, {
        retries: s.probe.retries,
        inStartPeriod: Date.parse(result.start) - s.startedAtMs < s.probe.startPeriodNs / 1e6,
      });
      this.ctx.health.set(s.id, after);
      const c = this.ctx.deps.repo.byId(s.id);
      if (c && after.status !== before.status) {
        const action = `health_status: ${after.status}`;
        this.ctx.deps.events.publish('container', action, s.id, containerEventAttributes(c));
      }
    } catch (e) {
      if (!this.closed) this.ctx.deps.log(`health check of ${s.id}: ${String(e)}`);
    }
    this.schedule(s, Date.now() + this.nextInterval(s) / 1e6);
  }
}
