import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../main/shared/ring-buffer';

describe('RingBuffer', () => {
  it('keeps items oldest first until full', () => {
    const buffer = new RingBuffer<number>(3);
    expect(buffer.size).toBe(0);
    expect(buffer.latest()).toBeUndefined();
    expect(buffer.oldest()).toBeUndefined();
    expect(buffer.toArray()).toEqual([]);
    buffer.push(1);
    buffer.push(2);
    expect(buffer.toArray()).toEqual([1, 2]);
    expect(buffer.size).toBe(2);
    expect(buffer.latest()).toBe(2);
    expect(buffer.oldest()).toBe(1);
  });

  it('overwrites the oldest items once full', () => {
    const buffer = new RingBuffer<number>(3);
    for (let i = 1; i <= 7; i++) buffer.push(i);
    expect(buffer.size).toBe(3);
    expect(buffer.toArray()).toEqual([5, 6, 7]);
    expect(buffer.oldest()).toBe(5);
    expect(buffer.latest()).toBe(7);
  });

  it('returns snapshots that later pushes do not change', () => {
    const buffer = new RingBuffer<string>(2);
    buffer.push('a');
    const snapshot = buffer.toArray();
    buffer.push('b');
    buffer.push('c');
    expect(snapshot).toEqual(['a']);
    expect(buffer.toArray()).toEqual(['b', 'c']);
  });

  it('stays bounded however many points are pushed', () => {
    const capacity = 300;
    const buffer = new RingBuffer<{ at: number; value: number[] }>(capacity);
    const total = 1_000_000;
    for (let i = 0; i < total; i++) buffer.push({ at: i, value: [i] });
    expect(buffer.size).toBe(capacity);
    const items = buffer.toArray();
    expect(items).toHaveLength(capacity);
    expect(items[0]?.at).toBe(total - capacity);
    expect(items.at(-1)?.at).toBe(total - 1);
    // Strictly consecutive: nothing lost or duplicated inside the window.
    expect(items.every((item, i) => item.at === total - capacity + i)).toBe(true);
    // The backing array never grows past the capacity.
    const internal = (buffer as unknown as { items: unknown[] }).items;
    expect(internal.length).toBe(capacity);
  });

  it('holds one item with capacity 1', () => {
    const buffer = new RingBuffer<number>(1);
    buffer.push(1);
    buffer.push(2);
    expect(buffer.toArray()).toEqual([2]);
    expect(buffer.oldest()).toBe(2);
    expect(buffer.latest()).toBe(2);
  });

  it('clears', () => {
    const buffer = new RingBuffer<number>(2);
    buffer.push(1);
    buffer.push(2);
    buffer.push(3);
    buffer.clear();
    expect(buffer.size).toBe(0);
    expect(buffer.toArray()).toEqual([]);
    buffer.push(4);
    expect(buffer.toArray()).toEqual([4]);
  });

  it('rejects capacities that cannot hold anything', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(-1)).toThrow(RangeError);
    expect(() => new RingBuffer(2.5)).toThrow(RangeError);
  });
});
