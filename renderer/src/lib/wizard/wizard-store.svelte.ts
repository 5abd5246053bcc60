/**
 * The setup wizard's controller: the step machine (wizard-machine.ts) plus what each step
 * fetches or does through the API — engine detection and pinning, host resources, the
 * configuration form with its port check, provisioning (cluster.up with live progress), the
 * smoke test, completing setup, and cancelling with "remove what was created".
 *
 *   const wizard = new WizardController();
 *   onMount(() => wizard.mount());        // progress events + the elapsed-time clock
 *   wizard.next();                        // Continue
 */
import {
  api,
  apiErrorOf,
  type ApiClusterStatus,
  type ApiErrorData,
  type ApiOutputs,
} from '../api/client';
import { clusterStore } from '../cluster/cluster-store.svelte';
import { newOperationId } from '../operations/operations.svelte';
import { settingsStore } from '../settings/settings-store.svelte';
import { followEvents } from '../shell/event-stream';
import { health } from '../troubleshoot/health.svelte';
import { PortChecker } from './port-checker.svelte';
import { cleanupPlan, type CleanupPlan } from './cleanup-plan';
import {
  configFromSettings,
  configPatch,
  fieldsFromServer,
  hasErrors,
  validateConfig,
  type ConfigErrors,
  type WizardConfig,
} from './config-model';
import {
  applyProvisionEvent,
  createProvisionModel,
  finishProvision,
  type ProvisionModel,
} from './provision-model';
import * as machine from './wizard-machine';
import type { WizardStepId } from './wizard-machine';

export type EngineProbe = ApiOutputs['engine']['discover'][number];
export type EngineInfo = ApiOutputs['engine']['info'];
export type HostResources = ApiOutputs['setup']['host'];
export type SmokeResult = ApiOutputs['setup']['smokeTest'];

export class WizardController {
  state = $state.raw(machine.createWizard());
  /** Clock for elapsed times (ticks once a second while mounted). */
  now = $state(Date.now());

  engine = $state.raw<EngineInfo | null>(null);
  discovered = $state.raw<EngineProbe[]>([]);
  manualAddress = $state('');
  pinning = $state(false);
  pinProblem = $state.raw<ApiErrorData | null>(null);

  host = $state.raw<HostResources | null>(null);

  config = $state<WizardConfig | null>(null);
  configErrors = $state<ConfigErrors>({});
  readonly port = new PortChecker();

  provision = $state<ProvisionModel>(createProvisionModel(0));
  private operationId: string | null = null;
  private before: ApiClusterStatus | null = null;
  imageFile = $state('');
  imageFix = $state.raw<{
    running: string | null;
    message: string | null;
    error: ApiErrorData | null;
  }>({ running: null, message: null, error: null });

  smoke = $state.raw<SmokeResult | null>(null);

  connectionUrl = $state('');
  revealed = $state(false);

  cancelOpen = $state(false);
  cleanup = $state.raw<CleanupPlan | null>(null);
  removing = $state(false);
  cancelError = $state.raw<ApiErrorData | null>(null);

  /** Starts the clock and the progress subscription; returns the cleanup. */
  mount(): () => void {
    const clock = setInterval(() => (this.now = Date.now()), 1_000);
    const stop = followEvents(['progress'], {
      onEvent: (event) => {
        if (event.topic !== 'progress' || event.data.operationId !== this.operationId) return;
        if (event.data.operation !== 'cluster.up') return;
        applyProvisionEvent(this.provision, event.data);
      },
    });
    return () => {
      clearInterval(clock);
      stop();
      this.port.stop();
    };
  }

  get current(): WizardStepId {
    return this.state.current;
  }

  step(id: WizardStepId) {
    return this.state.steps[id];
  }

  /** Continue: runs what leaving the step needs (saving the configuration), then moves on. */
  async next(): Promise<void> {
    if (this.current === 'configure' && this.step('configure').status !== 'done') {
      if (!(await this.saveConfig())) return;
    }
    this.state = machine.advance(this.state, Date.now());
    this.enter();
  }

  back(): void {
    this.state = machine.back(this.state);
  }

  goTo(step: WizardStepId): void {
    this.state = machine.goTo(this.state, step);
  }

  /** What entering a step starts by itself (nothing that creates anything). */
  enter(): void {
    const step = this.step(this.current);
    if (step.status === 'done' || step.status === 'running') return;
    switch (this.current) {
      case 'engine':
        void this.detectEngine();
        break;
      case 'resources':
        if (!this.host) void this.loadHost();
        break;
      case 'configure':
        if (!this.config) void this.loadConfig();
        break;
      case 'smoke':
        void this.runSmoke();
        break;
      case 'done':
        void this.complete();
        break;
    }
  }

  private begin(step: WizardStepId): boolean {
    const before = this.state;
    this.state = machine.startStep(this.state, step, Date.now());
    return this.state !== before;
  }

  private succeed(step: WizardStepId): void {
    if (machine.accepts(this.state, step))
      this.state = machine.succeedStep(this.state, step, Date.now());
  }

  private fail(step: WizardStepId, err: unknown): void {
    if (machine.accepts(this.state, step))
      this.state = machine.failStep(this.state, step, apiErrorOf(err), Date.now());
  }

  /* ---------- engine ---------- */

  async detectEngine(): Promise<void> {
    this.state = machine.reopenStep(this.state, 'engine');
    if (!this.begin('engine')) return;
    const [info, found] = await Promise.allSettled([api.engine.info(), api.engine.discover()]);
    this.discovered = found.status === 'fulfilled' ? found.value : [];
    if (info.status === 'fulfilled') {
      this.engine = info.value;
      this.succeed('engine');
      void clusterStore.refreshEngine();
      void clusterStore.refresh();
    } else {
      this.engine = null;
      this.fail('engine', info.reason);
    }
  }

  /** Pins an engine address (typed by hand, or a found engine's), then detects again. */
  async pinEngine(address: string): Promise<void> {
    const value = address.trim();
    if (!value) return;
    this.pinning = true;
    this.pinProblem = null;
    try {
      const { probe } = await api.setup.pinEngine({ address: value });
      if (probe && !probe.ok) {
        this.pinProblem = { code: probe.code, message: probe.message, hint: probe.hint };
        return;
      }
      await this.detectEngine();
    } catch (err) {
      this.pinProblem = apiErrorOf(err);
    } finally {
      this.pinning = false;
    }
  }

  /* ---------- resources ---------- */

  async loadHost(): Promise<void> {
    this.state = machine.reopenStep(this.state, 'resources');
    if (!this.begin('resources')) return;
    try {
      this.host = await api.setup.host();
      this.succeed('resources');
    } catch (err) {
      this.fail('resources', err);
    }
  }

  /* ---------- configure ---------- */

  async loadConfig(): Promise<void> {
    try {
      await settingsStore.load();
      const settings = settingsStore.settings;
      if (!settings) throw settingsStore.error ?? new Error('settings unavailable');
      const config = configFromSettings(settings);
      const advice = this.host?.recommendation;
      if (advice && !settings.app.setupCompleted) {
        config.workers = advice.workers;
        config.concurrency = advice.concurrency;
        config.workerMemoryMb = advice.workerMemoryMb;
        config.workerCpus = advice.workerCpus;
      }
      this.config = config;
      this.port.soon(...this.portTarget(), 0);
    } catch (err) {
      this.state = machine.startStep(this.state, 'configure', Date.now());
      this.fail('configure', err);
    }
  }

  /** Call after the user edits the form: the step's earlier outcome no longer holds. */
  edited(field?: keyof WizardConfig): void {
    if (this.step('configure').status !== 'running')
      this.state = machine.reopenStep(this.state, 'configure');
    if (this.config) this.configErrors = validateConfig(this.config);
    if (field === 'port' || field === 'name') this.port.soon(...this.portTarget());
  }

  /** The port to check (null when not a valid number) and the cluster it is meant for. */
  private portTarget(): [number | null, string | undefined] {
    const config = this.config;
    if (!config) return [null, undefined];
    const errors = validateConfig(config);
    return [errors.port ? null : config.port, errors.name ? undefined : config.name];
  }

  useSuggestedPort(): void {
    const suggestion = this.port.result?.suggestion;
    if (!this.config || !suggestion) return;
    this.config.port = suggestion;
    this.edited('port');
  }

  /** Validates and saves the configuration; true when saved. */
  async saveConfig(): Promise<boolean> {
    const config = this.config;
    if (!config) return false;
    this.configErrors = validateConfig(config);
    if (hasErrors(this.configErrors)) return false;
    this.port.stop();
    await this.port.check(...this.portTarget());
    if (this.port.taken(config.port)) {
      this.configErrors = { ...this.configErrors, port: 'portTaken' };
      return false;
    }
    const patch = configPatch($state.snapshot(config), settingsStore.settings?.cluster.pools);
    if (!settingsStore.confirmProcessorsFolder(patch)) return false;
    this.state = machine.reopenStep(this.state, 'configure');
    if (!this.begin('configure')) return false;
    try {
      await settingsStore.save(patch);
      this.succeed('configure');
      void clusterStore.refresh();
      return true;
    } catch (err) {
      this.configErrors = fieldsFromServer(apiErrorOf(err).fields);
      this.fail('configure', err);
      return false;
    }
  }

  /* ---------- provision ---------- */

  async provisionCluster(): Promise<void> {
    this.state = machine.reopenStep(this.state, 'provision');
    if (!this.begin('provision')) return;
    this.provision = createProvisionModel(this.config?.workers ?? 0);
    this.imageFix = { running: null, message: null, error: null };
    this.before = await api.cluster.status().catch(() => null);
    const operationId = newOperationId();
    this.operationId = operationId;
    try {
      await api.cluster.up({ operationId, waitForWorkers: true });
      finishProvision(this.provision, true, Date.now());
      this.succeed('provision');
      void health.checkSoon(0); // the navigation's problem badge reflects the new cluster
    } catch (err) {
      finishProvision(this.provision, false, Date.now());
      this.fail('provision', err);
    }
    void clusterStore.refresh();
  }

  /** Offline help when an image is missing: load a `docker save` tarball, or build the worker image. */
  async imageAction(fixId: 'load-image' | 'build-worker-image'): Promise<void> {
    this.imageFix = { running: fixId, message: null, error: null };
    try {
      const file = fixId === 'load-image' ? this.imageFile.trim() : undefined;
      const { outcome } = await api.diagnostics.fix({ fixId, ...(file ? { file } : {}) });
      this.imageFix = { running: null, message: outcome.message, error: null };
    } catch (err) {
      this.imageFix = { running: null, message: null, error: apiErrorOf(err) };
    }
  }

  /* ---------- smoke test ---------- */

  async runSmoke(): Promise<void> {
    this.state = machine.reopenStep(this.state, 'smoke');
    if (!this.begin('smoke')) return;
    this.smoke = null;
    try {
      this.smoke = await api.setup.smokeTest();
      this.succeed('smoke');
    } catch (err) {
      this.fail('smoke', err);
    }
  }

  /* ---------- done ---------- */

  async complete(): Promise<void> {
    if (!this.begin('done')) return;
    try {
      await api.setup.complete();
      void settingsStore.load();
      this.state = machine.finish(this.state, Date.now());
      await this.loadConnection(false);
    } catch (err) {
      this.fail('done', err);
    }
  }

  async loadConnection(reveal: boolean): Promise<void> {
    const { url } = await api.setup.connection({ reveal });
    this.connectionUrl = url;
    this.revealed = reveal;
  }

  /** The URL with its password, for the clipboard (never kept on screen unless revealed). */
  async fullConnectionUrl(): Promise<string> {
    return (await api.setup.connection({ reveal: true })).url;
  }

  /* ---------- cancel ---------- */

  async requestCancel(): Promise<void> {
    this.cancelError = null;
    this.cleanup = null;
    this.cancelOpen = true;
    if (!this.state.provisionStarted) return;
    const now = await api.cluster.status().catch(() => null);
    this.cleanup = cleanupPlan(this.before, now, this.step('provision').status === 'running');
  }

  /** Leaves the wizard; with `remove`, first takes down what this run created. */
  async confirmCancel(remove: boolean): Promise<boolean> {
    if (remove && this.cleanup?.canRemove) {
      this.removing = true;
      try {
        await api.cluster.down({
          volumes: this.cleanup.removeVolume,
          operationId: newOperationId(),
        });
      } catch (err) {
        this.cancelError = apiErrorOf(err);
        return false;
      } finally {
        this.removing = false;
        void clusterStore.refresh();
      }
    }
    this.state = machine.cancel(this.state);
    this.cancelOpen = false;
    return true;
  }
}
