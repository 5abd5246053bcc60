import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ScaleControl from '../../renderer/src/lib/cluster/ScaleControl.svelte';

function setup(current: number, extra: Record<string, unknown> = {}) {
  const onApply = vi.fn();
  const view = render(ScaleControl, { props: { current, onApply, ...extra } });
  return {
    onApply,
    view,
    input: screen.getByLabelText('Number of workers') as HTMLInputElement,
    apply: screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement,
    fewer: screen.getByRole('button', { name: 'One worker fewer' }) as HTMLButtonElement,
    more: screen.getByRole('button', { name: 'One worker more' }) as HTMLButtonElement,
  };
}

describe('worker-count control', () => {
  it('starts at the current count with Apply disabled until the number changes', async () => {
    const { input, apply, more, fewer, onApply } = setup(2);
    expect(input.value).toBe('2');
    expect(apply.disabled).toBe(true);
    await fireEvent.click(more);
    expect(input.value).toBe('3');
    expect(apply.disabled).toBe(false);
    await fireEvent.click(fewer);
    expect(input.value).toBe('2');
    expect(apply.disabled).toBe(true);
    await fireEvent.click(apply);
    expect(onApply).not.toHaveBeenCalled();
  });

  it('applies the new number', async () => {
    const { more, apply, onApply } = setup(4);
    await fireEvent.click(more);
    await fireEvent.click(more);
    await fireEvent.click(apply);
    expect(onApply).toHaveBeenCalledExactlyOnceWith(6);
  });

  it('stops at 0 and at 64', async () => {
    const low = setup(1);
    await fireEvent.click(low.fewer);
    expect(low.input.value).toBe('0');
    expect(low.fewer.disabled).toBe(true);
    await fireEvent.click(low.fewer);
    expect(low.input.value).toBe('0');
    expect(low.apply.disabled).toBe(false);
    low.view.unmount();

    const high = setup(63);
    await fireEvent.click(high.more);
    expect(high.input.value).toBe('64');
    expect(high.more.disabled).toBe(true);
    await fireEvent.click(high.more);
    expect(high.input.value).toBe('64');
  });

  it('refuses typed numbers outside 0–64 or not whole, with a message', async () => {
    const { input, apply, onApply } = setup(2);
    await fireEvent.input(input, { target: { value: '65' } });
    expect(apply.disabled).toBe(true);
    expect(screen.getByRole('alert').textContent).toContain('Enter a whole number from 0 to 64.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await fireEvent.input(input, { target: { value: '2.5' } });
    expect(apply.disabled).toBe(true);
    await fireEvent.input(input, { target: { value: '12' } });
    expect(apply.disabled).toBe(false);
    expect(screen.queryByRole('alert')).toBeNull();
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onApply).toHaveBeenCalledExactlyOnceWith(12);
  });

  it('follows a new current count unless the user changed the number', async () => {
    const { view, input, more } = setup(2);
    await view.rerender({ current: 5 });
    expect(input.value).toBe('5');
    await fireEvent.click(more);
    await view.rerender({ current: 3 });
    expect(input.value).toBe('6');
  });

  it('is disabled while busy', () => {
    const { apply, more, fewer, input } = setup(2, { busy: true });
    expect(apply.disabled).toBe(true);
    expect(more.disabled).toBe(true);
    expect(fewer.disabled).toBe(true);
    expect(input.disabled).toBe(true);
  });
});
