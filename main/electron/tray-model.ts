/**
 * What the tray shows for a cluster state: the menu items with their labels and enabled states,
 * the icon kind and the tooltip. Pure — no Electron import — so every state is unit-tested;
 * tray.ts turns the items into an Electron Menu.
 */
import type { ClusterState } from '../cluster/status';
import { MAX_WORKERS } from '@shared/spec-limits';
import { trayText, type TrayLanguage, type TrayMessageId } from './tray-messages';

/** The cluster as the tray sees it: a ClusterState, or why there is none. */
export type TrayPhase = 'checking' | 'no-engine' | 'error' | ClusterState;

/** One pool as the tray shows it: containers running and wanted. */
export interface TrayPool {
  name: string;
  running: number;
  desired: number;
}

/** A long action the app is running; every control waits until it ends. */
export type TrayBusy = 'start' | 'stop' | 'scale' | 'pause' | 'resume';

export interface TrayState {
  phase: TrayPhase;
  busy: TrayBusy | null;
  /** Running workers and the number the spec asks for, all pools together. */
  workers: { running: number; desired: number };
  /**
   * Each pool, the default pool first. With more than one, the workers submenu scales each pool
   * on its own; with one (or none known), it adds and removes the default pool's workers.
   */
  pools: readonly TrayPool[];
  /** How many queues exist and how many are paused; null when unknown (Redis not reachable). */
  queues: { total: number; paused: number } | null;
  language: TrayLanguage;
}

export type TrayAction =
  | 'start'
  | 'stop'
  | 'add-worker'
  | 'remove-worker'
  | 'pause-all'
  | 'resume-all'
  | 'open-console'
  | 'troubleshoot'
  | 'setup'
  | 'quit';

export type TrayMenuItem =
  | { type: 'separator' }
  | { type: 'label'; id: 'status' | 'workers-status'; label: string; enabled: false }
  /** `pool`: the pool a worker action scales (absent: the default pool). */
  | { type: 'action'; id: TrayAction; label: string; enabled: boolean; pool?: string }
  | {
      type: 'submenu';
      id: 'workers' | 'pool';
      label: string;
      enabled: boolean;
      submenu: TrayMenuItem[];
      pool?: string;
    };

export type TrayIconKind = 'running' | 'degraded' | 'stopped' | 'busy' | 'no-engine';

const STARTABLE: readonly TrayPhase[] = ['absent', 'stopped', 'degraded', 'error'];
const STOPPABLE: readonly TrayPhase[] = ['running', 'degraded', 'starting'];
/** Phases with Redis up, where workers can be scaled and queues paused. */
const SERVING: readonly TrayPhase[] = ['running', 'degraded'];

/** The status line: the running action, else the cluster phase. */
export function trayStatusLine(state: TrayState): string {
  const id: TrayMessageId = state.busy ? `busy.${state.busy}` : `status.${state.phase}`;
  return trayText(state.language, id);
}

function workersLine(state: TrayState): string {
  return trayText(state.language, 'status.workers', {
    running: state.workers.running,
    desired: state.workers.desired,
  });
}

export function trayMenuModel(state: TrayState): TrayMenuItem[] {
  const t = (id: TrayMessageId, params?: Record<string, string | number>) =>
    trayText(state.language, id, params);
  const idle = state.busy === null && state.phase !== 'checking' && state.phase !== 'no-engine';
  const serving = idle && SERVING.includes(state.phase);
  const { desired } = state.workers;
  const queues = state.queues;
  const hasQueues = queues === null || queues.total > 0;

  // All pools together stay within MAX_WORKERS; each pool removes only what it has.
  const addWorker = serving && desired < MAX_WORKERS;
  const removeWorker = serving && desired > 0;
  const plusMinus = (pool: TrayPool | null): TrayMenuItem[] => {
    const has = pool ? pool.desired : desired;
    const at = pool ? { pool: pool.name } : {};
    return [
      { type: 'action', id: 'add-worker', label: t('menu.add-worker'), enabled: addWorker, ...at },
      {
        type: 'action',
        id: 'remove-worker',
        label: t('menu.remove-worker'),
        enabled: serving && has > 0,
        ...at,
      },
    ];
  };
  const perPool = state.pools.length > 1;
  const workersSubmenu: TrayMenuItem[] = [
    { type: 'label', id: 'workers-status', label: workersLine(state), enabled: false },
    { type: 'separator' },
    ...(perPool
      ? state.pools.map((pool): TrayMenuItem => ({
          type: 'submenu',
          id: 'pool',
          pool: pool.name,
          label: t('menu.pool', {
            pool: pool.name,
            running: pool.running,
            desired: pool.desired,
          }),
          enabled: addWorker || (serving && pool.desired > 0),
          submenu: plusMinus(pool),
        }))
      : plusMinus(null)),
  ];

  return [
    { type: 'label', id: 'status', label: trayStatusLine(state), enabled: false },
    { type: 'separator' },
    {
      type: 'action',
      id: 'start',
      label: t('menu.start'),
      enabled: idle && STARTABLE.includes(state.phase),
    },
    {
      type: 'action',
      id: 'stop',
      label: t('menu.stop'),
      enabled: idle && STOPPABLE.includes(state.phase),
    },
    {
      type: 'submenu',
      id: 'workers',
      label: t('menu.workers', { count: desired }),
      enabled: addWorker || removeWorker,
      submenu: workersSubmenu,
    },
    {
      type: 'action',
      id: 'pause-all',
      label: t('menu.pause-all'),
      enabled: serving && hasQueues && (queues === null || queues.paused < queues.total),
    },
    {
      type: 'action',
      id: 'resume-all',
      label: t('menu.resume-all'),
      enabled: serving && hasQueues && (queues === null || queues.paused > 0),
    },
    { type: 'separator' },
    { type: 'action', id: 'open-console', label: t('menu.open-console'), enabled: true },
    { type: 'action', id: 'troubleshoot', label: t('menu.troubleshoot'), enabled: true },
    { type: 'action', id: 'setup', label: t('menu.setup'), enabled: true },
    { type: 'separator' },
    { type: 'action', id: 'quit', label: t('menu.quit'), enabled: true },
  ];
}

export function trayIconKind(state: TrayState): TrayIconKind {
  if (state.busy !== null) return 'busy';
  switch (state.phase) {
    case 'checking':
    case 'starting':
      return 'busy';
    case 'no-engine':
      return 'no-engine';
    case 'running':
      return 'running';
    case 'degraded':
    case 'error':
      return 'degraded';
    case 'absent':
    case 'stopped':
      return 'stopped';
  }
}

/** "Guildhall — Cluster running · 4 of 4 workers running" */
export function trayTooltip(state: TrayState): string {
  const parts = [trayStatusLine(state)];
  if (state.busy === null && (SERVING.includes(state.phase) || state.phase === 'starting'))
    parts.push(workersLine(state));
  return `${trayText(state.language, 'app.name')} — ${parts.join(' · ')}`;
}

/** Every item of a menu, submenus included (for dispatch checks and tests). */
export function flattenTrayMenu(items: TrayMenuItem[]): TrayMenuItem[] {
  return items.flatMap((item) =>
    item.type === 'submenu' ? [item, ...flattenTrayMenu(item.submenu)] : [item],
  );
}
