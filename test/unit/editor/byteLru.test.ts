import { describe, expect, it } from 'vitest';
import { ByteLru } from '../../../src/extension/editor/byteLru';

describe('ByteLru', () => {
  it('forgets the least recently used entries past its budget; peek does not count as a use', () => {
    const lru = new ByteLru<string>(10, (v) => v.length);
    lru.set('a', 'xxxx');
    lru.set('b', 'xxxx');
    expect(lru.get('a')).toBe('xxxx'); // a is now the most recent
    expect(lru.peek('b')).toBe('xxxx'); // b stays the oldest
    lru.set('c', 'xxxx');
    expect(lru.peek('b')).toBeUndefined();
    expect([lru.peek('a'), lru.peek('c')]).toEqual(['xxxx', 'xxxx']);
    expect(lru.bytes).toBe(8);
  });

  it('keeps one entry larger than the whole budget, replacing an entry counts it once', () => {
    const lru = new ByteLru<string>(3, (v) => v.length);
    lru.set('a', 'x');
    lru.set('big', 'xxxxxx');
    expect(lru.size).toBe(1);
    lru.set('big', 'xx');
    expect(lru.bytes).toBe(2);
  });
});
