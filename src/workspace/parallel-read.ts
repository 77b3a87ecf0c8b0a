// Reads and parses many request files on several threads: for a very large folder it is the part
// of validating that splits best, as each file parses on its own. The worker threads run the same bundle
// as the caller (its entry point hands them to `serveRequestReader`), so there is no second file to
// ship. Threads take batches of files from a shared counter until none are left, so a thread that
// starts late or runs slowly (a busy machine) does less, rather than holding up the others. Results
// come back in file order, with what `locate` needs as plain data.
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { RequestParse } from '../model/request.ts';
import { locatorFor } from '../model/yaml-source.ts';
import { readRequest } from './local.ts';

const TASK = 'maint:read-requests';
/**
 * Below this many files a thread costs more than it saves: it takes ~0.3 s to load the bundle, and
 * its results are copied back, while a plain request is read in ~70 µs (yaml-fast.ts). Measured on
 * 2 cores: at 10,000 files two threads took as long as one (and 20% more CPU), at 30,000 7% less.
 */
export const PARALLEL_FROM_FILES = 20_000;
const MAX_THREADS = 4;
/** Files a thread takes at a time: small enough to share out evenly, large enough to be cheap. */
const BATCH_FILES = 64;

export interface ParallelReadOptions {
  /** The running bundle, which workers start from; without it everything is read on this thread. */
  workerScript?: string;
  /** Threads to use, this one included; the default uses up to four cores for large folders. */
  threads?: number;
}

interface ReaderTask {
  task: typeof TASK;
  files: readonly string[];
  cwd: string;
  /** One Int32: the next batch to take. */
  next: SharedArrayBuffer;
}

type PortableParse = Omit<RequestParse, 'locate'>;

interface Batch<T> {
  index: number;
  parses: T[];
}

/** Reads batches taken from the shared counter until none are left. */
function readBatches<T>(task: Omit<ReaderTask, 'task'>, read: (file: string) => T): Batch<T>[] {
  const next = new Int32Array(task.next);
  const done: Batch<T>[] = [];
  for (;;) {
    const index = Atomics.add(next, 0, 1);
    const from = index * BATCH_FILES;
    if (from >= task.files.length) return done;
    done.push({ index, parses: task.files.slice(from, from + BATCH_FILES).map(read) });
  }
}

/** How many threads to read `files` files with. */
export function threadsFor(files: number, requested: number | undefined, cores: number): number {
  if (requested !== undefined) return Math.max(1, Math.min(requested, files));
  if (files < PARALLEL_FROM_FILES) return 1;
  return Math.max(1, Math.min(cores, MAX_THREADS));
}

/** Reads the files as `readRequest` does, on several threads: the same results, in the same order. */
export async function readFilesInParallel(
  files: readonly string[],
  cwd: string,
  options: ParallelReadOptions = {},
): Promise<RequestParse[]> {
  const threads = threadsFor(files.length, options.threads, availableParallelism());
  const script = options.workerScript;
  if (!script || threads < 2) return files.map((file) => readRequest(file, cwd));
  const task = { files, cwd, next: new SharedArrayBuffer(4) };
  const workers = Array.from({ length: threads - 1 }, () => readOnWorker(script, { task: TASK, ...task }));
  // This thread reads batches too, from the first, while the workers start.
  const mine = readBatches(task, (file) => readRequest(file, cwd));
  const theirs = (await Promise.all(workers)).flat();
  const batches: RequestParse[][] = [];
  for (const batch of mine) batches[batch.index] = batch.parses;
  for (const batch of theirs) batches[batch.index] = batch.parses.map(revive);
  return batches.flat();
}

function revive(parse: PortableParse): RequestParse {
  return { ...parse, locate: locatorFor(parse.positions) };
}

function readOnWorker(script: string, task: ReaderTask): Promise<Batch<PortableParse>[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: task });
    let result: Batch<PortableParse>[] | undefined;
    worker.once('message', (message: Batch<PortableParse>[]) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`a thread reading request files stopped (exit code ${code})`));
    });
  });
}

/** True in a thread started by `readRequestsInParallel`: the entry point then serves it and nothing else. */
export function isRequestReaderThread(): boolean {
  return !isMainThread && (workerData as Partial<ReaderTask> | undefined)?.task === TASK;
}

export function serveRequestReader(): void {
  const task = workerData as ReaderTask;
  const batches = readBatches(task, (file): PortableParse => {
    const { locate: _locate, ...portable } = readRequest(file, task.cwd);
    return portable;
  });
  parentPort!.postMessage(batches);
}
