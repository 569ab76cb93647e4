import { availableParallelism, cpus, release, totalmem } from 'node:os';

export interface MachineInfo {
  nproc: number;
  ram_gb: number;
  cpu: string;
  node: string;
  kernel: string;
}

export function machineInfo(): MachineInfo {
  return {
    nproc: availableParallelism(),
    ram_gb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    kernel: `Linux ${release()}`,
  };
}
