/**
 * Resident memory of the current process: sampled `process.memoryUsage.rss()` every ~50 ms plus the
 * kernel's high-water mark (VmHWM, reset through /proc/self/clear_refs so it covers just the
 * measured interval; the sampler alone can miss a peak while the event loop is busy).
 */
import * as fs from 'node:fs';

const MiB = 1024 * 1024;

function vmHwmMiB(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function resetHwm(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export interface MemoryReport {
  /** RSS just before the measured run (after a GC when --expose-gc is on). */
  baselineRssMiB: number;
  /** Highest sampled RSS during the run. */
  peakSampledRssMiB: number;
  /** Kernel high-water mark over the run (undefined when /proc is unavailable or could not be reset). */
  vmHwmMiB?: number;
  /** max(sampled, VmHWM). */
  peakRssMiB: number;
  /** Highest sampled V8 heap in use, and memory outside the heap (Buffers, TLS). */
  peakHeapUsedMiB: number;
  peakExternalMiB: number;
  /** Highest number of sockets in use seen (ref'ed TCP handles in process.getActiveResourcesInfo; idle pooled sockets are unref'ed). */
  peakSockets: number;
  samples: number;
  intervalMs: number;
  heapUsedBeforeMiB: number;
  heapUsedAfterMiB: number;
}

export class MemorySampler {
  private timer?: NodeJS.Timeout;
  private peak = 0;
  private peakHeap = 0;
  private peakExternal = 0;
  private peakSockets = 0;
  private samples = 0;
  private baseline = 0;
  private heapBefore = 0;
  private hwmReset = false;

  constructor(private readonly intervalMs = 50) {}

  start(): void {
    (globalThis as { gc?: () => void }).gc?.();
    this.baseline = process.memoryUsage.rss() / MiB;
    this.heapBefore = process.memoryUsage().heapUsed / MiB;
    this.peak = this.baseline;
    this.hwmReset = resetHwm();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  private sample(): void {
    this.samples++;
    const m = process.memoryUsage();
    this.peak = Math.max(this.peak, m.rss / MiB);
    this.peakHeap = Math.max(this.peakHeap, m.heapUsed / MiB);
    this.peakExternal = Math.max(this.peakExternal, m.external / MiB);
    this.peakSockets = Math.max(this.peakSockets, process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSSocketWrap').length);
  }

  stop(): MemoryReport {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    const hwm = this.hwmReset ? vmHwmMiB() : undefined;
    return {
      baselineRssMiB: this.baseline,
      peakSampledRssMiB: this.peak,
      ...(hwm !== undefined ? { vmHwmMiB: hwm } : {}),
      peakRssMiB: Math.max(this.peak, hwm ?? 0),
      peakHeapUsedMiB: this.peakHeap,
      peakExternalMiB: this.peakExternal,
      peakSockets: this.peakSockets,
      samples: this.samples,
      intervalMs: this.intervalMs,
      heapUsedBeforeMiB: this.heapBefore,
      heapUsedAfterMiB: process.memoryUsage().heapUsed / MiB,
    };
  }
}
