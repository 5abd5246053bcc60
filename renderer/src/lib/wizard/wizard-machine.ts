/**
 * The setup wizard's step state machine — pure functions over a plain state, no runes and no
 * API, so every transition is easy to test:
 *
 *   let s = createWizard();
 *   s = advance(s, now);                 // Welcome read → Engine
 *   s = startStep(s, 'engine', now);     // detection running
 *   s = failStep(s, 'engine', error, now);
 *   s = startStep(s, 'engine', now);     // Retry (only from failed or pending)
 *   s = succeedStep(s, 'engine', now);
 *   s = advance(s, now);                 // → Resources
 *   …
 *   s = finish(s, now);                  // on the Done step, once setup is saved as completed
 *
 * Each step is pending, running, done or failed (with the error). Moving on needs the current
 * step done; going back is allowed unless something runs or setup has finished. Changing an
 * earlier step's outcome (e.g. new configuration) resets the later steps to pending.
 */
import type { ApiErrorData } from '../api/client';

export const WIZARD_STEPS = [
  'welcome',
  'engine',
  'resources',
  'configure',
  'provision',
  'smoke',
  'done',
] as const;
export type WizardStepId = (typeof WIZARD_STEPS)[number];

export type WizardStepStatus = 'pending' | 'running' | 'done' | 'failed';

export interface WizardStepState {
  status: WizardStepStatus;
  error: ApiErrorData | null;
  startedAt: number | null;
  finishedAt: number | null;
}

export type WizardPhase = 'active' | 'cancelled' | 'finished';

export interface WizardState {
  current: WizardStepId;
  steps: Record<WizardStepId, WizardStepState>;
  phase: WizardPhase;
  /** Provisioning was started at least once in this run (something may have been created). */
  provisionStarted: boolean;
}

/** Steps that only show information: reading them is completing them. */
const INFORMATIONAL: ReadonlySet<WizardStepId> = new Set(['welcome', 'resources']);

const pending = (): WizardStepState => ({
  status: 'pending',
  error: null,
  startedAt: null,
  finishedAt: null,
});

export function createWizard(): WizardState {
  const steps = Object.fromEntries(WIZARD_STEPS.map((id) => [id, pending()])) as Record<
    WizardStepId,
    WizardStepState
  >;
  return { current: 'welcome', steps, phase: 'active', provisionStarted: false };
}

export function stepIndex(step: WizardStepId): number {
  return WIZARD_STEPS.indexOf(step);
}

function withStep(
  state: WizardState,
  step: WizardStepId,
  change: Partial<WizardStepState>,
): WizardState {
  return { ...state, steps: { ...state.steps, [step]: { ...state.steps[step], ...change } } };
}

export function isRunning(state: WizardState): boolean {
  return WIZARD_STEPS.some((id) => state.steps[id].status === 'running');
}

/** Starts (or retries) a step's work. Only a pending or failed step of an active wizard starts. */
export function startStep(state: WizardState, step: WizardStepId, now: number): WizardState {
  if (state.phase !== 'active') return state;
  const { status } = state.steps[step];
  if (status === 'running' || status === 'done') return state;
  const next = withStep(state, step, {
    status: 'running',
    error: null,
    startedAt: now,
    finishedAt: null,
  });
  return step === 'provision' ? { ...next, provisionStarted: true } : next;
}

export function succeedStep(state: WizardState, step: WizardStepId, now: number): WizardState {
  if (state.steps[step].status !== 'running' && !INFORMATIONAL.has(step)) return state;
  return withStep(state, step, {
    status: 'done',
    error: null,
    startedAt: state.steps[step].startedAt ?? now,
    finishedAt: now,
  });
}

export function failStep(
  state: WizardState,
  step: WizardStepId,
  error: ApiErrorData,
  now: number,
): WizardState {
  if (state.steps[step].status !== 'running') return state;
  return withStep(state, step, { status: 'failed', error, finishedAt: now });
}

/** Retry: a failed step back to running. */
export function retryStep(state: WizardState, step: WizardStepId, now: number): WizardState {
  if (state.steps[step].status !== 'failed') return state;
  return startStep(state, step, now);
}

/** Resets every step after `step` to pending (their outcome depended on it). */
export function invalidateAfter(state: WizardState, step: WizardStepId): WizardState {
  const from = stepIndex(step) + 1;
  const steps = { ...state.steps };
  for (const id of WIZARD_STEPS.slice(from)) {
    if (steps[id].status !== 'running') steps[id] = pending();
  }
  return { ...state, steps };
}

/** A step's done outcome is redone: it and everything after it go back to pending. */
export function reopenStep(state: WizardState, step: WizardStepId): WizardState {
  if (state.steps[step].status === 'running') return state;
  return invalidateAfter(withStep(state, step, pending()), step);
}

export function canAdvance(state: WizardState): boolean {
  if (state.phase !== 'active' || state.current === 'done') return false;
  const current = state.steps[state.current];
  return current.status === 'done' || INFORMATIONAL.has(state.current);
}

/** Moves to the next step (an informational step counts as done once left). */
export function advance(state: WizardState, now: number): WizardState {
  if (!canAdvance(state)) return state;
  const marked = INFORMATIONAL.has(state.current) ? succeedStep(state, state.current, now) : state;
  const next = WIZARD_STEPS[stepIndex(state.current) + 1]!;
  return { ...marked, current: next };
}

/** Setup completed (the last step saved it): no more going back or cancelling. */
export function finish(state: WizardState, now: number): WizardState {
  if (state.current !== 'done') return state;
  const done = succeedStep(state, 'done', now);
  return { ...done, phase: 'finished' };
}

export function canGoBack(state: WizardState): boolean {
  return (
    state.phase === 'active' &&
    state.current !== 'welcome' &&
    state.current !== 'done' &&
    !isRunning(state)
  );
}

export function back(state: WizardState): WizardState {
  if (!canGoBack(state)) return state;
  return { ...state, current: WIZARD_STEPS[stepIndex(state.current) - 1]! };
}

/** Jumps to an earlier step (the stepper): only backwards, only when going back is allowed. */
export function goTo(state: WizardState, step: WizardStepId): WizardState {
  if (!canGoBack(state) || stepIndex(step) >= stepIndex(state.current)) return state;
  return { ...state, current: step };
}

/** Whether cancelling needs the "what was created" choice. */
export function needsCleanupChoice(state: WizardState): boolean {
  return state.provisionStarted && state.phase === 'active';
}

/** Ends the wizard without finishing. A running step's late answer is then ignored. */
export function cancel(state: WizardState): WizardState {
  if (state.phase !== 'active') return state;
  return { ...state, phase: 'cancelled' };
}

/** The step whose answer should still be accepted: false once cancelled or moved past it. */
export function accepts(state: WizardState, step: WizardStepId): boolean {
  return state.phase !== 'cancelled' && state.steps[step].status === 'running';
}

/** Elapsed time of a step: until it finished, or until `now` while it runs. */
export function stepElapsedMs(step: WizardStepState, now: number): number | null {
  if (step.startedAt === null) return null;
  return Math.max(0, (step.finishedAt ?? now) - step.startedAt);
}
