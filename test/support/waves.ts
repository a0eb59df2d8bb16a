// Counts the waves of reads a command sends: requests issued while others are still in flight
// belong to the same wave. Each request is held for a moment, as a server with latency would.
import type { Cluster } from '../../src/cluster/types.js';

export function countingWaves<C extends Cluster>(cluster: C, delayMs = 5): { cluster: C; waves: () => string[][] } {
  const waves: string[][] = [];
  let inFlight = 0;
  const proxy = new Proxy(cluster, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || !['info', 'get', 'list'].includes(String(prop))) return typeof v === 'function' ? v.bind(target) : v;
      return async (...args: unknown[]) => {
        if (inFlight === 0) waves.push([]);
        const ref = args[0] as { kind?: string; name?: string } | string | undefined;
        waves[waves.length - 1]!.push(`${String(prop)} ${typeof ref === 'string' ? `${args[1]}` : ref ? `${ref.kind}/${ref.name}` : ''}`.trim());
        inFlight++;
        try {
          await new Promise((r) => setTimeout(r, delayMs));
          return await (v as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          inFlight--;
        }
      };
    },
  });
  return { cluster: proxy as C, waves: () => waves };
}
