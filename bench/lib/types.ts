// Shapes of a benchmark run, as printed and as saved in bench/results/*.json.
export type Profile = 'loopback' | 'wan';
export type CaseName = 'upload' | 'download' | 'memory' | 'resume' | 'ui' | 'scale' | 'listing' | 'sink' | 'ui-upload';

export interface RunRecord {
  rep: number;
  /** Position in this repetition's order (0 = ran first). */
  order: number;
  seconds: number;
  peakRss: number;
  /** user + system CPU seconds of the competitor's processes. */
  cpuSec?: number;
  /** CPU seconds the Swift sandbox's servers (proxy, object, container, account) used during the run. */
  swiftCpuSec?: number;
  /** How busy the whole machine's CPUs were during the run, percent of all cores. */
  machineBusyPct?: number;
  /** CPU seconds the WAN link shaper (a harness process) used during the run. */
  shaperCpuSec?: number;
  ok: boolean;
  error?: string;
}

export interface CompetitorResult {
  name: string;
  /** What exactly ran (command shape, no secrets). */
  label: string;
  runs: RunRecord[];
  medianSec?: number;
  minSec?: number;
  maxSec?: number;
  /** (max - min) / median, percent. */
  spreadPct?: number;
  mibPerSec?: number;
  /** Highest peak RSS over the runs, bytes. */
  peakRss?: number;
  /** Median user + system CPU seconds. */
  cpuSec?: number;
  /** That CPU per GiB moved: the cost that decides throughput when the client shares cores with Swift. */
  cpuPerGiB?: number;
  /** Median CPU seconds of the Swift servers during the runs. */
  swiftCpuSec?: number;
  /** Median machine-wide CPU busy percentage during the runs. */
  machineBusyPct?: number;
  /** Median CPU seconds of the WAN shaper during the runs. */
  shaperCpuSec?: number;
  /** How many times faster slo is: this competitor's median / slo's median. Absent for slo itself. */
  ratio?: number;
  skipped?: string;
}

export interface CaseResult {
  case: CaseName;
  profile: Profile;
  title: string;
  bytes?: number;
  segmentSize?: number;
  concurrency?: number;
  competitors: CompetitorResult[];
  details?: Record<string, unknown>;
  skipped?: string;
  /** 1-minute load average when the case started and ended (other work on the machine skews the numbers). */
  load?: [number, number];
}

export interface TargetResult {
  id: string;
  description: string;
  /** e.g. "≥ 1.3×" */
  want: string;
  value?: number;
  display: string;
  status: 'PASS' | 'MISS' | 'N/A';
  note?: string;
}

export interface Machine {
  nproc: number;
  cpuModel: string;
  memTotalBytes: number;
  node: string;
  swift: string;
  swiftclient: string;
  curl: string;
  rclone?: string;
  kernel: string;
  proxyWorkers: number;
  /** Replicas of the sandbox's rings (absent in results from before `--replicas`: 1). */
  replicas?: number;
  gitCommit: string;
}

export interface BenchResult {
  version: 1;
  mode: 'full' | 'quick' | 'smoke' | 'custom';
  startedAt: string;
  finishedAt: string;
  durationSec: number;
  machine: Machine;
  options: Record<string, unknown>;
  startup: Record<string, number | string>;
  cases: CaseResult[];
  targets: TargetResult[];
}
