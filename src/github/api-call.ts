// One API call with its route named: any failure becomes a GitHubApiError that carries the route
// and the HTTP status, so the entry point prints what failed where.
import { GitHubApiError } from './port.ts';

function apiError(route: string, error: unknown): GitHubApiError {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message : String(error);
  return new GitHubApiError(route, status, `${route} failed${status ? ` (HTTP ${status})` : ''}: ${message}`);
}

export async function call<T>(route: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw apiError(route, error);
  }
}
