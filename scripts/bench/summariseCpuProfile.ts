// Summarises a V8 CPU profile (`node --cpu-prof`) as the share of sampled time spent in each
// function itself (self time), so a hot path can be read without a profiler UI.
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeRow {
  /** `name file:line`; the file is shortened to its base name (paths differ between machines). */
  frame: string;
  share: number;
}

export interface CpuProfileSummary {
  totalMs: number;
  /** Every frame with sampled self time, largest first. */
  rows: SelfTimeRow[];
}

export function summariseCpuProfile(profile: CpuProfile): CpuProfileSummary {
  const frames = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\//, '');
    frames.set(
      node.id,
      `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`,
    );
  }
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((nodeId, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = frames.get(nodeId) ?? '(unknown)';
    self.set(frame, (self.get(frame) ?? 0) + delta);
    total += delta;
  });
  const rows = [...self]
    .map(([frame, micros]) => ({ frame, share: total === 0 ? 0 : micros / total }))
    .sort((a, b) => b.share - a.share);
  return { totalMs: total / 1000, rows };
}
