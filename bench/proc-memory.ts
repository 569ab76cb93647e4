import { readFileSync } from 'node:fs';

/** A field of /proc/<pid>/status in MiB (VmRSS now, VmHWM the peak since start), or undefined once gone. */
export function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

export interface RssSampler {
  /** Highest VmRSS seen since the sampler started, and the process's VmHWM now (MiB). */
  stop(): { sampledPeakMb: number; hwmMb: number | undefined };
}

/** Samples a process's resident memory every `everyMs` (the peak of a window, not of the process's life). */
export function sampleRss(pid: number, everyMs = 200): RssSampler {
  let peak = procStatusMb(pid, 'VmRSS') ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, procStatusMb(pid, 'VmRSS') ?? 0);
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, procStatusMb(pid, 'VmRSS') ?? 0);
      return { sampledPeakMb: peak, hwmMb: procStatusMb(pid, 'VmHWM') };
    },
  };
}
