/** Labels of engine container states and health, through the catalogue. */
import { t } from '../i18n/i18n.svelte';

const CONTAINER_STATES = [
  'created',
  'running',
  'restarting',
  'paused',
  'exited',
  'dead',
  'removing',
] as const;
type ContainerState = (typeof CONTAINER_STATES)[number];

export function containerStateLabel(state: string): string {
  return (CONTAINER_STATES as readonly string[]).includes(state)
    ? t(`cluster.container.${state as ContainerState}`)
    : state;
}

export function containerStateTone(state: string): 'ok' | 'warn' | 'danger' | 'info' | 'neutral' {
  switch (state) {
    case 'running':
      return 'ok';
    case 'restarting':
      return 'warn';
    case 'dead':
      return 'danger';
    case 'created':
    case 'removing':
      return 'info';
    default:
      return 'neutral';
  }
}
