/**
 * Redis health from the text of `INFO`. We read only INFO (never CONFIG GET, which a locked-down
 * Redis may deny): the memory section carries maxmemory_policy too.
 */
import type { RedisHealth } from './queue-types';

/** Parses `INFO` output ("# Section" headers and "key:value" lines) into a flat map. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

function num(fields: Map<string, string>, key: string): number {
  const value = Number(fields.get(key));
  return Number.isFinite(value) ? value : 0;
}

export function redisHealthFromInfo(text: string): RedisHealth {
  const fields = parseInfo(text);
  const aofEnabled = fields.get('aof_enabled') === '1';
  return {
    version: fields.get('redis_version') ?? 'unknown',
    uptimeSeconds: num(fields, 'uptime_in_seconds'),
    usedMemoryBytes: num(fields, 'used_memory'),
    usedMemoryPeakBytes: num(fields, 'used_memory_peak'),
    maxMemoryBytes: num(fields, 'maxmemory'),
    maxMemoryPolicy: fields.get('maxmemory_policy') ?? 'unknown',
    opsPerSec: num(fields, 'instantaneous_ops_per_sec'),
    connectedClients: num(fields, 'connected_clients'),
    aof: {
      enabled: aofEnabled,
      lastWriteStatus: aofEnabled ? (fields.get('aof_last_write_status') ?? null) : null,
      rewriteInProgress: fields.get('aof_rewrite_in_progress') === '1',
      lastRewriteStatus: aofEnabled ? (fields.get('aof_last_bgrewrite_status') ?? null) : null,
    },
  };
}
