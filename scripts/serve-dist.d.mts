export interface ServeDistOptions {
  /** The built site (default `dist`). */
  dir?: string;
  /** The sub-path it is served under (default `/course/elections/`). */
  base?: string;
  /** 0 picks a free port (default 0). */
  port?: number;
  host?: string;
}

export interface DistServer {
  /** The site's address, ending in its base path. */
  url: string;
  port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

export function normaliseBase(base?: string): string;
export function serveDist(options?: ServeDistOptions): Promise<DistServer>;
