/** Flow shapes as the console uses them (pure, no runes). */
import type { ApiInputs, ApiOutputs } from '../api/client';

export type FlowTree = ApiOutputs['flows']['tree'];
export type FlowSummary = ApiOutputs['flows']['list'][number];
export type FlowCheck = ApiOutputs['flows']['check'];
export type FlowNodeInput = ApiInputs['flows']['add'];

/** `bull:pm:12` → `pm/12`, for showing children's values by job. */
export function shortJobKey(key: string): string {
  const parts = key.split(':');
  return parts.length >= 3 ? `${parts.slice(1, -1).join(':')}/${parts.at(-1)}` : key;
}
