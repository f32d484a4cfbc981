import { describe, expect, it } from 'vitest';
import { createAccount } from '../../test/factories';
import { useTestApp } from '../../test/harness';
import { shouldSeedDemo } from './serve';

// An empty database of its own: `auto` looks at whether any account exists.
const t = useTestApp({ isolated: true });

describe('shouldSeedDemo (SEED_DEMO)', () => {
  it('auto: only into a database without accounts, and never in production; on: always; off: never', async () => {
    const dev = { NODE_ENV: 'development', SEED_DEMO: 'auto' } as const;
    const prod = { NODE_ENV: 'production', SEED_DEMO: 'auto' } as const;
    expect(await shouldSeedDemo(dev, t())).toBe(true);
    expect(await shouldSeedDemo(prod, t())).toBe(false);
    expect(await shouldSeedDemo({ ...prod, SEED_DEMO: 'on' }, t())).toBe(true);
    expect(await shouldSeedDemo({ ...dev, SEED_DEMO: 'off' }, t())).toBe(false);
    await createAccount(t());
    expect(await shouldSeedDemo(dev, t())).toBe(false);
    expect(await shouldSeedDemo({ ...dev, SEED_DEMO: 'on' }, t())).toBe(true);
  });
});
