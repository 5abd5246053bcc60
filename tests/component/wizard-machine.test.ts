import { describe, expect, it } from 'vitest';
import type { ApiErrorData } from '../../renderer/src/lib/api/client';
import {
  accepts,
  advance,
  back,
  canAdvance,
  canGoBack,
  cancel,
  createWizard,
  failStep,
  finish,
  goTo,
  invalidateAfter,
  needsCleanupChoice,
  reopenStep,
  retryStep,
  startStep,
  stepElapsedMs,
  succeedStep,
  type WizardState,
  type WizardStepId,
} from '../../renderer/src/lib/wizard/wizard-machine';

const engineDown: ApiErrorData = {
  code: 'engine-not-running',
  message: 'Docker Engine is not running.',
  hint: 'Start it.',
};

/** Runs a step to done at `at` (start, then succeed 10 ms later). */
function complete(state: WizardState, step: WizardStepId, at: number): WizardState {
  return succeedStep(startStep(state, step, at), step, at + 10);
}

/** Welcome → engine done → resources → configure done → provision done: at the smoke step. */
function atSmoke(): WizardState {
  let s = advance(createWizard(), 1); // → engine
  s = advance(complete(s, 'engine', 2), 3); // → resources
  s = advance(s, 4); // → configure
  s = advance(complete(s, 'configure', 5), 6); // → provision
  return advance(complete(s, 'provision', 7), 20); // → smoke
}

describe('wizard step machine', () => {
  it('starts at Welcome with every step pending', () => {
    const s = createWizard();
    expect(s.current).toBe('welcome');
    expect(Object.values(s.steps).map((step) => step.status)).toEqual(Array(7).fill('pending'));
    expect(canAdvance(s)).toBe(true); // Welcome only informs
    expect(canGoBack(s)).toBe(false);
  });

  it('marks an informational step done when leaving it', () => {
    const s = advance(createWizard(), 100);
    expect(s.current).toBe('engine');
    expect(s.steps.welcome.status).toBe('done');
    expect(s.steps.welcome.finishedAt).toBe(100);
  });

  it('does not move past a step that has not succeeded', () => {
    let s = advance(createWizard(), 1);
    expect(canAdvance(s)).toBe(false);
    expect(advance(s, 2)).toBe(s);
    s = startStep(s, 'engine', 3);
    expect(s.steps.engine.status).toBe('running');
    expect(canAdvance(s)).toBe(false);
    s = succeedStep(s, 'engine', 8);
    expect(canAdvance(s)).toBe(true);
    expect(stepElapsedMs(s.steps.engine, 1_000)).toBe(5);
    expect(advance(s, 9).current).toBe('resources');
  });

  it('a failure keeps the reason; Retry runs the step again and can succeed', () => {
    let s = startStep(advance(createWizard(), 1), 'engine', 10);
    s = failStep(s, 'engine', engineDown, 15);
    expect(s.steps.engine).toMatchObject({ status: 'failed', error: engineDown, finishedAt: 15 });
    expect(canAdvance(s)).toBe(false);
    s = retryStep(s, 'engine', 20);
    expect(s.steps.engine).toMatchObject({
      status: 'running',
      error: null,
      startedAt: 20,
      finishedAt: null,
    });
    s = succeedStep(s, 'engine', 25);
    expect(s.steps.engine.status).toBe('done');
    expect(canAdvance(s)).toBe(true);
  });

  it('Retry only applies to a failed step; a running step does not start twice', () => {
    const s = startStep(advance(createWizard(), 1), 'engine', 10);
    expect(retryStep(s, 'engine', 11)).toBe(s);
    expect(startStep(s, 'engine', 12)).toBe(s);
    const pending = advance(createWizard(), 1);
    expect(retryStep(pending, 'engine', 2)).toBe(pending);
  });

  it('ignores a late answer for a step that is not running', () => {
    const s = advance(createWizard(), 1);
    expect(failStep(s, 'engine', engineDown, 2)).toBe(s);
    expect(succeedStep(s, 'engine', 2)).toBe(s);
  });

  it('goes back (not while something runs) and forwards again without redoing done steps', () => {
    let s = atSmoke();
    expect(s.current).toBe('smoke');
    s = back(s);
    expect(s.current).toBe('provision');
    expect(s.steps.provision.status).toBe('done');
    expect(advance(s, 30).current).toBe('smoke');
    const running = startStep(atSmoke(), 'smoke', 40);
    expect(canGoBack(running)).toBe(false);
    expect(back(running)).toBe(running);
  });

  it('jumps back to an earlier step from the stepper, never forwards', () => {
    const s = atSmoke();
    expect(goTo(s, 'engine').current).toBe('engine');
    const atEngine = goTo(s, 'engine');
    expect(goTo(atEngine, 'smoke')).toBe(atEngine);
  });

  it('a changed configuration sends the later steps back to pending', () => {
    const s = reopenStep(goTo(atSmoke(), 'configure'), 'configure');
    expect(s.steps.configure.status).toBe('pending');
    expect(s.steps.provision.status).toBe('pending');
    expect(s.steps.smoke.status).toBe('pending');
    // The earlier steps keep their outcome.
    expect(s.steps.engine.status).toBe('done');
    const keepsRunning = invalidateAfter(startStep(atSmoke(), 'smoke', 50), 'configure');
    expect(keepsRunning.steps.smoke.status).toBe('running');
  });

  it('cancel before provisioning needs no cleanup; after it started, it does', () => {
    let s = advance(complete(advance(createWizard(), 1), 'engine', 2), 3);
    expect(needsCleanupChoice(s)).toBe(false);
    s = atSmoke();
    expect(s.provisionStarted).toBe(true);
    expect(needsCleanupChoice(s)).toBe(true);
    // A failed provisioning may have created things too.
    let failed = advance(
      complete(
        advance(advance(complete(advance(createWizard(), 1), 'engine', 2), 3), 4),
        'configure',
        5,
      ),
      6,
    );
    failed = failStep(startStep(failed, 'provision', 7), 'provision', engineDown, 8);
    expect(needsCleanupChoice(failed)).toBe(true);
  });

  it('once cancelled, nothing starts and late answers are not accepted', () => {
    const running = startStep(atSmoke(), 'smoke', 60);
    const s = cancel(running);
    expect(s.phase).toBe('cancelled');
    expect(accepts(s, 'smoke')).toBe(false);
    expect(accepts(running, 'smoke')).toBe(true);
    expect(startStep(s, 'done', 61)).toBe(s);
    expect(canAdvance(s)).toBe(false);
    expect(canGoBack(s)).toBe(false);
    expect(needsCleanupChoice(s)).toBe(false);
  });

  it('finishes on the Done step: no going back, no cancelling', () => {
    let s = advance(complete(atSmoke(), 'smoke', 70), 80);
    expect(s.current).toBe('done');
    expect(canGoBack(s)).toBe(false);
    s = finish(startStep(s, 'done', 81), 90);
    expect(s.phase).toBe('finished');
    expect(s.steps.done.status).toBe('done');
    expect(cancel(s)).toBe(s);
    expect(canAdvance(s)).toBe(false);
    // finish is only for the Done step
    const early = atSmoke();
    expect(finish(early, 1)).toBe(early);
  });
});
