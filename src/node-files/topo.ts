// runtime-utils topoGraph: a topological order of mirrors that is fully deterministic, and that
// breaks loops (contradicting orders from different policies) at the alphabetically first
// unused node instead of failing. Pure.

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class TopoGraph {
  private readonly ins = new Map<string, Set<string>>();
  private readonly outs = new Map<string, Set<string>>();

  private node(n: string): void {
    if (!this.ins.has(n)) {
      this.ins.set(n, new Set());
      this.outs.set(n, new Set());
    }
  }

  addEdge(from: string, to: string): void {
    this.node(from);
    this.node(to);
    this.outs.get(from)!.add(to);
    this.ins.get(to)!.add(from);
  }

  /** Every node, each edge respected where the graph allows it. */
  sorted(): string[] {
    const all = [...this.ins.keys()].sort(byName);
    const ins = new Map(all.map((n) => [n, new Set(this.ins.get(n))]));
    const used = new Set<string>();
    const queue = all.filter((n) => ins.get(n)!.size === 0);
    const out: string[] = [];
    let next = 0;
    while (queue.length || next < all.length) {
      let n: string;
      if (queue.length) n = queue.shift()!;
      else {
        // An unbroken loop: take the first unused node in sorted order.
        n = all[next++]!;
        if (used.has(n)) continue;
      }
      used.add(n);
      out.push(n);
      const batch: string[] = [];
      for (const m of this.outs.get(n)!) {
        const pending = ins.get(m)!;
        pending.delete(n);
        if (pending.size === 0 && !used.has(m)) batch.push(m);
      }
      queue.push(...batch.sort(byName));
    }
    return out;
  }
}
