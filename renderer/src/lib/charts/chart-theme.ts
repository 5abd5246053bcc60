/**
 * Chart colours and fonts read from the design tokens (CSS variables), so charts follow the
 * light/dark theme. uPlot paints on a canvas, which cannot use CSS variables directly: the
 * palette is read again whenever the theme changes and the chart repaints with it.
 */
export type ChartColor = 'chart-1' | 'chart-2' | 'chart-3' | 'chart-4';

export interface ChartPalette {
  series: Record<ChartColor, string>;
  grid: string;
  axis: string;
  font: string;
}

const FALLBACK: ChartPalette = {
  series: {
    'chart-1': '#0f766e',
    'chart-2': '#2563eb',
    'chart-3': '#c0262d',
    'chart-4': '#b45309',
  },
  grid: '#e6e9ee',
  axis: '#5d6677',
  font: '11px system-ui, sans-serif',
};

export function readPalette(
  root: Element | undefined = globalThis.document?.documentElement,
): ChartPalette {
  if (!root || typeof getComputedStyle !== 'function') return FALLBACK;
  const style = getComputedStyle(root);
  const family = (style.getPropertyValue('--font-sans').trim() || 'system-ui, sans-serif').replace(
    /\s+/g,
    ' ',
  );
  // Colour tokens hold light-dark() pairs: let the browser resolve them for the current scheme
  // on a probe element, and hand the canvas a plain rgb() value.
  const probe = root.ownerDocument.createElement('span');
  probe.style.display = 'none';
  root.appendChild(probe);
  const color = (name: string, fallback: string) => {
    probe.style.color = '';
    probe.style.color = `var(${name})`;
    const resolved = getComputedStyle(probe).color.trim();
    return /^(rgb|#)/i.test(resolved) ? resolved : fallback;
  };
  try {
    return {
      series: {
        'chart-1': color('--chart-1', FALLBACK.series['chart-1']),
        'chart-2': color('--chart-2', FALLBACK.series['chart-2']),
        'chart-3': color('--chart-3', FALLBACK.series['chart-3']),
        'chart-4': color('--chart-4', FALLBACK.series['chart-4']),
      },
      grid: color('--chart-grid', FALLBACK.grid),
      axis: color('--text-faint', FALLBACK.axis),
      font: `11px ${family}`,
    };
  } finally {
    probe.remove();
  }
}

/** A colour with transparency, for area fills (hex or rgb() in; rgba() out). */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    let digits = hex[1]!;
    if (digits.length === 3) digits = [...digits].map((d) => d + d).join('');
    const n = Number.parseInt(digits, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/i.exec(color.trim());
  if (rgb) {
    const [r, g, b] = rgb[1]!.split(/[\s,/]+/);
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return color;
}
