import * as hdr from 'hdr-histogram-js';

/** Latencies in milliseconds, rate in operations per second. */
export interface LoadSummary {
  rate: number;
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  seconds: number;
  /** First error seen, to explain a non-zero error count. */
  sampleError?: string;
}

/** Records latencies in microseconds (1 µs .. 60 s, 3 significant digits), the same for ours and the reference. */
export class LatencyRecorder {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  errors = 0;
  sampleError: string | undefined;

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The histogram, compressed, to send to another process (W2's load children). */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.histogram);
  }

  /** Adds the values of an `encode()`d histogram. */
  add(encoded: string): void {
    this.histogram.add(hdr.decodeFromCompressedBase64(encoded));
  }

  recordMs(ms: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  error(detail: unknown): void {
    this.errors++;
    this.sampleError ??= String(detail).slice(0, 300);
  }

  summary(seconds: number): LoadSummary {
    const h = this.histogram;
    const ms = (percentile: number) => round(h.getValueAtPercentile(percentile) / 1000);
    const count = h.totalCount;
    return {
      rate: round(count / seconds, 1),
      count,
      errors: this.errors,
      p50: ms(50),
      p95: ms(95),
      p99: ms(99),
      p999: ms(99.9),
      max: round(h.maxValue / 1000),
      seconds: round(seconds),
      ...(this.sampleError ? { sampleError: this.sampleError } : {}),
    };
  }
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The reference pass whose rate is the median (with two passes: their mean, rounded). */
export function medianSummary(passes: LoadSummary[]): LoadSummary {
  if (passes.length === 1) return passes[0]!;
  const pick = (k: 'rate' | 'p50' | 'p95' | 'p99' | 'p999' | 'max') => round(median(passes.map((p) => p[k])));
  return {
    rate: pick('rate'),
    count: passes.reduce((s, p) => s + p.count, 0),
    errors: passes.reduce((s, p) => s + p.errors, 0),
    p50: pick('p50'),
    p95: pick('p95'),
    p99: pick('p99'),
    p999: pick('p999'),
    max: pick('max'),
    seconds: round(passes.reduce((s, p) => s + p.seconds, 0)),
  };
}

/** Relative spread of the reference passes: above 0.10 the sandwich is flagged unstable (BENCHMARKS §4.1). */
export function spread(passes: LoadSummary[]): number {
  const rates = passes.map((p) => p.rate);
  const lo = Math.min(...rates);
  return lo > 0 ? round((Math.max(...rates) - lo) / lo, 3) : 0;
}
