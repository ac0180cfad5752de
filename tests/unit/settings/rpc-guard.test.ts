import { afterAll, describe, expect, it } from 'vitest';
import { testCore } from '../../helpers/core';

describe('API argument guard', () => {
  const t = testCore();
  afterAll(() => t.cleanup());

  it('answers validation, not internal, when an object argument is missing or a number', async () => {
    for (const arg of [null, 42, 'x', [1, 2]]) {
      const r = await t.core.invoke('inbox.thread', arg);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).not.toBe('internal');
    }
    // The core keeps answering afterwards.
    expect((await t.core.invoke('system.info', undefined)).ok).toBe(true);
  });

  it('refuses a malformed staff list without wiping the saved one', async () => {
    expect((await t.core.invoke('inbox.saveStaff', { names: ['Ana', 'Ben'] })).ok).toBe(true);
    for (const bad of [42, {}, { names: [1, null] }, { names: Array(51).fill('x') }]) {
      const r = await t.core.invoke('inbox.saveStaff', bad as never);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('validation');
    }
    expect(t.core.settings.getDoc('inbox.staff')).toEqual(['Ana', 'Ben']);
  });
});
