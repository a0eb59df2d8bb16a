// Machine config pools played back as the machine-config operator moves them, for the tests
// of `--wait` (whitelist, mirror) on the test API server's 4.x profile.
import { before, beforeEach } from 'node:test';
import type { KubeObject } from '../../src/plan/types.js';
import type { TestApiServer } from '../apiserver/index.js';

export const POOLS = ['master', 'worker'];
type Pool = KubeObject & { spec: any; status: any };

export interface PoolState {
  target: string;
  current: string;
  updated: number;
  updating: boolean;
  degraded?: string;
}

/** Registers hooks that restore the seeded pools before each test; returns the play-back and a request counter. */
export function machineConfigPools(api: () => TestApiServer) {
  const pool = (name: string) => api().getObject('machineconfiguration.openshift.io/v1', 'MachineConfigPool', name) as Pool;
  let original: Record<string, Pool>;
  before(() => (original = Object.fromEntries(POOLS.map((n) => [n, structuredClone(pool(n))]))));
  beforeEach(() => POOLS.forEach((n) => api().putObject(structuredClone(original[n]!))));
  return {
    /** Sets a pool's rendered config and status as the machine-config operator would. */
    playBack(name: string, s: PoolState): void {
      const p = pool(name);
      const cond = (type: string, on: boolean, message = '') => ({ type, status: on ? 'True' : 'False', reason: '', message, lastTransitionTime: '2026-01-01T00:00:00Z' });
      p.spec.configuration = { name: s.target };
      p.status = {
        ...p.status,
        configuration: { name: s.current },
        updatedMachineCount: s.updated,
        conditions: [cond('Updated', !s.updating && s.updated === 3), cond('Updating', s.updating), cond('Degraded', !!s.degraded, s.degraded)],
      };
      api().putObject(p);
    },
    /** How many times the pools were listed (one per poll). */
    poolLists: () => api().requests.filter((r) => r.method === 'GET' && r.path.endsWith('/machineconfigpools')).length,
  };
}
