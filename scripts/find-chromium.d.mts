export interface ChromiumInfo {
  /** Absolute path of the Chromium (or Chrome) executable. */
  path: string;
  /** Where it was found, e.g. "$CHROMIUM_PATH" or "chromium on PATH". */
  source: string;
}

export interface FindChromiumOptions {
  /** Allow `apt-get install -y chromium` when running as root on Debian (default true). */
  install?: boolean;
}

export function findChromiumInfo(options?: FindChromiumOptions): ChromiumInfo;
export function findChromium(options?: FindChromiumOptions): string;
