// Reads and parses many request files on several threads: parsing YAML is most of the cost of
// validating a large folder, and each file parses on its own. The worker threads run the same bundle
// as the caller (its entry point hands them to `serveRequestReader`), so there is no second file to
// ship. Results come back in file order, with what `locate` needs as plain data.
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { RequestParse } from '../model/request.ts';
import { locatorFor } from '../model/yaml-source.ts';
import { readRequest } from './local.ts';

const TASK = 'maint:read-requests';
/** Below this many files a thread costs more to start (it loads the bundle) than it saves. */
export const PARALLEL_FROM_FILES = 1500;
const MAX_THREADS = 4;
const HEAD_START_FILES = 500;

export interface ParallelReadOptions {
  /** The running bundle, which workers start from; without it everything is read on this thread. */
  workerScript?: string;
  /** Threads to use, this one included; the default uses up to four cores for large folders. */
  threads?: number;
}

interface ReaderTask {
  task: typeof TASK;
  files: string[];
  cwd: string;
}

type PortableParse = Omit<RequestParse, 'locate'>;

/** How many threads to read `files` files with. */
export function threadsFor(files: number, requested: number | undefined, cores: number): number {
  if (requested !== undefined) return Math.max(1, Math.min(requested, files));
  if (files < PARALLEL_FROM_FILES) return 1;
  return Math.max(1, Math.min(cores, MAX_THREADS));
}

/** Splits items into `parts` contiguous slices of near-equal length, in order. */
export function slices<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < parts; i++) {
    const from = Math.floor((items.length * i) / parts);
    const to = Math.floor((items.length * (i + 1)) / parts);
    out.push(items.slice(from, to));
  }
  return out;
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
  // A thread spends its first ~0.1 s loading the bundle; this one reads that many more files meanwhile.
  const headStart = Math.min(HEAD_START_FILES, files.length);
  const [own = [], ...handedOut] = slices(files.slice(headStart), threads);
  own.unshift(...files.slice(0, headStart));
  const workers = handedOut.map((part) => readOnWorker(script, { task: TASK, files: part, cwd }));

  // This thread reads its own share while the workers read theirs.
  const mine = own.map((file) => readRequest(file, cwd));
  const theirs = await Promise.all(workers);
  return [...mine, ...theirs.flat().map(revive)];
}

function revive(parse: PortableParse): RequestParse {
  return { ...parse, locate: locatorFor(parse.positions) };
}

function readOnWorker(script: string, task: ReaderTask): Promise<PortableParse[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: task });
    let result: PortableParse[] | undefined;
    worker.once('message', (message: PortableParse[]) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result) resolve(result);
      else
        reject(
          new Error(`the thread reading ${task.files.length} request files stopped (exit code ${code})`),
        );
    });
  });
}

/** True in a thread started by `readRequestsInParallel`: the entry point then serves it and nothing else. */
export function isRequestReaderThread(): boolean {
  return !isMainThread && (workerData as Partial<ReaderTask> | undefined)?.task === TASK;
}

export function serveRequestReader(): void {
  const { files, cwd } = workerData as ReaderTask;
  const parses: PortableParse[] = files.map((file) => {
    const { locate: _locate, ...portable } = readRequest(file, cwd);
    return portable;
  });
  parentPort!.postMessage(parses);
}
