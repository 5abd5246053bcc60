/**
 * The Grafana dashboard (resources/grafana) reads only metrics the exporter serves: renaming a
 * metric without the dashboard, or a typo in a panel, fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetricsExporter } from '../../main/metrics/exporter';

const dashboardFile = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'resources',
  'grafana',
  'guildhall-dashboard.json',
);

function expressions(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(expressions);
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, value]) =>
      (key === 'expr' || key === 'definition') && typeof value === 'string'
        ? [value]
        : expressions(value),
    );
  }
  return [];
}

describe('Grafana dashboard', () => {
  it('uses only metrics the exporter declares', async () => {
    const exporter = new MetricsExporter({
      sources: {
        status: () => Promise.reject(new Error('no engine')),
        containers: () => Promise.reject(new Error('no engine')),
        queues: () => Promise.reject(new Error('no redis')),
      },
    });
    const declared = new Set(
      (await exporter.registry.getMetricsAsJSON()).map((metric) => metric.name),
    );
    exporter.close();
    const dashboard = JSON.parse(fs.readFileSync(dashboardFile, 'utf8')) as unknown;
    const used = new Set(
      expressions(dashboard)
        .flatMap((expr) => expr.match(/guildhall_[a-z_]+/g) ?? [])
        .map((name) => name.replace(/_(bucket|count|sum)$/, '')),
    );
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) expect(declared, `${name} is not served`).toContain(name);
  });
});
