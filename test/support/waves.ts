// Counts round trips ("waves") a command makes against a FakeCluster: requests sent while others
// are still in flight belong to the same wave. Each request answers on a later tick, so reads
// sent at once overlap and reads sent one after another do not.
import type { ObjectRef } from '../../src/objects.js';
import type { KubeObject } from '../../src/plan/types.js';
import { FakeCluster, type FakeClusterOptions } from './fake-cluster.js';
import type { ClusterInfo, ListOptions } from '../../src/cluster/types.js';

export class WaveCountingCluster extends FakeCluster {
  waves = 0;
  private inFlight = 0;

  constructor(opts: FakeClusterOptions = {}) {
    super(opts);
  }

  private async track<T>(call: () => Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) this.waves++;
    try {
      await new Promise((r) => setTimeout(r, 1));
      return await call();
    } finally {
      this.inFlight--;
    }
  }

  override info(): Promise<ClusterInfo> {
    return this.track(() => super.info());
  }

  override get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    return this.track(() => super.get<T>(ref));
  }

  override list<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, opts?: ListOptions): Promise<T[]> {
    return this.track(() => super.list<T>(apiVersion, kind, opts));
  }
}
