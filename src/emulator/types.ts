/** API credentials the emulator accepts over basic auth (and for the OAuth password grant). */
export interface EmulatorAccount {
  userName: string;
  password: string;
}

/** An OAuth application registered on the emulated instance (System OAuth > Application Registry). */
export interface EmulatorOAuthClient {
  clientId: string;
  clientSecret: string;
}

/** Misbehaviour injected into Table API answers, decided by a seeded random generator. */
export interface FaultSettings {
  /** Delay added before every Table API answer, in milliseconds. */
  latencyMs: number;
  /** Share (0 to 1) of Table API requests answered 500 or 503 without being applied. */
  errorRate: number;
  /** Request budget of each API user; over it, 429. `null`: no limit. */
  rateLimit: { requestsPerSecond: number } | null;
  /** Answer 429 without the `Retry-After` header, as some proxies in front of instances do. */
  retryAfterMissing: boolean;
  /** Share (0 to 1) of POST, PUT and PATCH requests that are applied and then answered 500. */
  commitThen500: number;
  /** Seed of the generator that picks which requests a fault answers: the same seed, the same run. */
  seed: number;
}

/** Which fault answered a request, as recorded in the request log. */
export type FaultKind = 'error500' | 'error503' | 'rateLimit' | 'commitThen500';

/** How to start an emulator. Every field is optional. */
export interface EmulatorOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port to listen on; default 0, any free port. */
  port?: number;
  /** Who may call the API; default a single `admin`/`admin`. */
  accounts?: EmulatorAccount[];
  /** `default` loads the seed records (admin, svc.provisioning, guest, a few departments); `none` starts empty. */
  seed?: 'default' | 'none';
  /** Extra `sys_user` records loaded at start, e.g. people who already have accounts. */
  records?: Array<Record<string, string | boolean | number>>;
  /** Faults to inject from the start; default none. */
  faults?: Partial<FaultSettings>;
  /** OAuth applications accepted by `/oauth_token.do`; default one with id and secret `emulator`. */
  oauthClients?: EmulatorOAuthClient[];
  /** Lifetime of an OAuth access token in seconds; default 1800, as on a new instance. */
  tokenLifetimeSeconds?: number;
  /**
   * user_names of sys_user records the API accounts may read but not change, as an instance's ACLs
   * keep an integration user off accounts its roles do not cover: a PATCH or PUT of one answers 403.
   */
  writeProtected?: string[];
  /** Print one line per API request to stdout (for the CLI); default false. */
  logRequests?: boolean;
}

/** One API request as the emulator saw and answered it. Credentials never appear here. */
export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  table?: string;
  sysId?: string;
  query: Record<string, string>;
  status: number;
  /** The authenticated API user. */
  user?: string;
  /** Parsed JSON body of POST, PUT and PATCH, password fields masked. */
  body?: Record<string, unknown>;
  /** Set when an injected fault decided the answer. */
  fault?: FaultKind;
}

/** A started emulator. */
export interface RunningEmulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41235`. */
  url: string;
  port: number;
  /** Every API request so far, oldest first. */
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  /** Current rows of a table as the API returns them with reference links excluded; default `sys_user`. */
  records(table?: string): Array<Record<string, string>>;
  /** Changes the given fault settings and keeps the others. */
  setFaults(faults: Partial<FaultSettings>): void;
  close(): Promise<void>;
}
