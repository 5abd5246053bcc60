/**
 * Provisioning as the wizard shows it: the progress events of one `cluster.up` folded into five
 * phases — images, network, volume, Redis, workers — each with its status and times, images
 * with bytes and per-layer bars, Redis done only once healthy, workers once registered. Pure
 * (no runes), so it is tested with synthetic events.
 *
 * Per-layer bytes: the engine's pull progress arrives as running totals over all layers, one
 * event per layer update (main/images/images.ts); the change since the previous event belongs
 * to that event's layer, which gives each layer's bytes and size.
 */
export type PhaseId = 'images' | 'network' | 'volume' | 'redis' | 'workers';
export const PHASES: readonly PhaseId[] = ['images', 'network', 'volume', 'redis', 'workers'];

export type PhaseStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface ProgressInput {
  step: string;
  target: string;
  status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  message?: string | undefined;
  bytesDone?: number | undefined;
  bytesTotal?: number | undefined;
  item?: string | undefined;
  at: number;
}

export interface LayerView {
  id: string;
  /** The engine's words for the layer's state ("Downloading", "Pull complete"…). */
  message: string;
  bytesDone: number;
  bytesTotal: number;
}

export interface ImageView {
  ref: string;
  status: PhaseStatus;
  message: string;
  bytesDone: number | null;
  bytesTotal: number | null;
  layers: LayerView[];
  /** Running totals of the last event, for the per-layer split. */
  lastDone: number;
  lastTotal: number;
}

export interface TargetView {
  target: string;
  status: PhaseStatus;
  message: string;
}

export interface PhaseView {
  id: PhaseId;
  status: PhaseStatus;
  startedAt: number | null;
  finishedAt: number | null;
  /** Network / volume / Redis / worker containers touched in this phase. */
  targets: TargetView[];
}

export interface ProvisionModel {
  phases: Record<PhaseId, PhaseView>;
  images: ImageView[];
  /** Workers expected to register (the configured count). */
  expectedWorkers: number;
  /** How the whole operation ended (set by the caller). */
  outcome: 'running' | 'done' | 'failed';
}

export function createProvisionModel(expectedWorkers: number): ProvisionModel {
  const phases = Object.fromEntries(
    PHASES.map((id) => [
      id,
      { id, status: 'pending', startedAt: null, finishedAt: null, targets: [] },
    ]),
  ) as unknown as Record<PhaseId, PhaseView>;
  return { phases, images: [], expectedWorkers, outcome: 'running' };
}

function phaseOf(step: string): PhaseId | null {
  switch (step) {
    case 'image':
      return 'images';
    case 'network':
    case 'volume':
    case 'redis':
      return step;
    case 'worker':
      return 'workers';
    default:
      return null;
  }
}

const clamp = (value: number, max: number) => Math.max(0, Math.min(value, max));

function applyImage(model: ProvisionModel, event: ProgressInput): void {
  let image = model.images.find((i) => i.ref === event.target);
  if (!image) {
    image = {
      ref: event.target,
      status: event.status,
      message: '',
      bytesDone: null,
      bytesTotal: null,
      layers: [],
      lastDone: 0,
      lastTotal: 0,
    };
    model.images.push(image);
  }
  image.status = event.status;
  image.message = event.message ?? image.message;
  if (event.bytesTotal !== undefined) {
    image.bytesTotal = event.bytesTotal;
    image.bytesDone = event.bytesDone ?? image.bytesDone;
  }
  if (event.item) {
    let layer = image.layers.find((l) => l.id === event.item);
    if (!layer) {
      layer = { id: event.item, message: '', bytesDone: 0, bytesTotal: 0 };
      image.layers.push(layer);
    }
    layer.message = event.message ?? layer.message;
    if (event.bytesTotal !== undefined && event.bytesDone !== undefined) {
      layer.bytesTotal += Math.max(0, event.bytesTotal - image.lastTotal);
      layer.bytesDone = clamp(
        layer.bytesDone + (event.bytesDone - image.lastDone),
        layer.bytesTotal,
      );
      image.lastDone = event.bytesDone;
      image.lastTotal = event.bytesTotal;
    }
    if (/complete|already exists/i.test(layer.message)) layer.bytesDone = layer.bytesTotal;
  }
}

function applyTarget(phase: PhaseView, event: ProgressInput): void {
  let target = phase.targets.find((t) => t.target === event.target);
  if (!target) {
    target = { target: event.target, status: event.status, message: '' };
    phase.targets.push(target);
  }
  target.message = event.message ?? target.message;
  // Redis counts as done only once healthy; a started container is still coming up.
  if (phase.id === 'redis' && event.status === 'done' && target.message !== 'healthy') {
    target.status = 'running';
  } else if (phase.id === 'workers' && event.status === 'done' && target.message !== 'registered') {
    target.status = 'running';
  } else {
    target.status = event.status;
  }
}

function phaseStatus(model: ProvisionModel, phase: PhaseView): PhaseStatus {
  const statuses =
    phase.id === 'images' ? model.images.map((i) => i.status) : phase.targets.map((t) => t.status);
  if (statuses.length === 0) return 'pending';
  if (statuses.includes('failed')) return 'failed';
  if (statuses.some((s) => s === 'running' || s === 'pending')) return 'running';
  if (phase.id === 'workers') {
    const registered = phase.targets.filter((t) => t.status === 'done').length;
    if (registered < model.expectedWorkers) return 'running';
  }
  return statuses.every((s) => s === 'skipped') ? 'skipped' : 'done';
}

/** Folds one progress event into the model (mutates it). */
export function applyProvisionEvent(model: ProvisionModel, event: ProgressInput): void {
  const id = phaseOf(event.step);
  if (!id) return;
  const phase = model.phases[id];
  if (id === 'images') applyImage(model, event);
  else applyTarget(phase, event);
  phase.startedAt ??= event.at;
  phase.status = phaseStatus(model, phase);
  if (phase.status === 'running' || phase.status === 'pending') phase.finishedAt = null;
  else phase.finishedAt ??= event.at;
}

/**
 * The operation ended: on success every phase is finished (a phase with no events had nothing
 * to do); on failure the phases still running failed with it.
 */
export function finishProvision(model: ProvisionModel, ok: boolean, at: number): void {
  model.outcome = ok ? 'done' : 'failed';
  for (const id of PHASES) {
    const phase = model.phases[id];
    if (phase.status === 'running') {
      phase.status = ok ? 'done' : 'failed';
      phase.finishedAt = at;
    } else if (phase.status === 'pending' && ok) {
      phase.status = 'skipped';
    }
  }
}

export function phaseElapsedMs(phase: PhaseView, now: number): number | null {
  if (phase.startedAt === null) return null;
  return Math.max(0, (phase.finishedAt ?? now) - phase.startedAt);
}

/** Workers that have registered, of those expected. */
export function registeredWorkers(model: ProvisionModel): number {
  return model.phases.workers.targets.filter((t) => t.status === 'done').length;
}
