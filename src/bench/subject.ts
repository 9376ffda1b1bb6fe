/** Parent side of the subject process (worker.ts): fork, request/reply over IPC, stop. */
import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import { Command, Hello, Reply } from './protocol';

export class Subject {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly startRssMiB: number,
  ) {
    child.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`subject process: ${m.error}`));
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`subject process exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  /** Forks a subject process on `kubeconfig` and waits until it has done discovery. */
  static start(kubeconfig: string, timeoutMs = 60_000): Promise<Subject> {
    const child = fork(path.join(__dirname, 'worker.js'), [kubeconfig], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise<Subject>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('the subject process did not start in time'));
      }, timeoutMs);
      child.once('message', (m: Hello) => {
        clearTimeout(timer);
        resolve(new Subject(child, m.pid, m.rssMiB));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the subject process exited during start (${code})`));
      });
    });
  }

  request<T>(command: Command): Promise<T> {
    if (this.exited) return Promise.reject(new Error('subject process has exited'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ ...command, id });
    });
  }

  /** Disconnects (the worker exits on disconnect); kills it if it lingers. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  }
}
