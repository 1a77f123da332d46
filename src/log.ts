import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Field names whose values are replaced before a log line is written, wherever they appear. */
const redactedFields = [
  'password',
  'bindPassword',
  'token',
  'access_token',
  'refresh_token',
  'authorization',
];

/**
 * The product's logger: one JSON object per line when output is not a terminal (for collectors),
 * readable coloured lines on a terminal. Log a fixed message plus fields: `log.info({ sysId }, 'user linked')`.
 */
export function createLogger(options: { level?: LevelWithSilent; name?: string } = {}): Logger {
  const level = options.level ?? (process.env.LOG_LEVEL as LevelWithSilent | undefined) ?? 'info';
  const redact = { paths: redactedFields.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]), censor: '[redacted]' };
  const base = { name: options.name ?? 'provisioner', level, redact };

  if (process.stdout.isTTY && process.env.LOG_FORMAT !== 'json') {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
      },
    });
  }
  return pino(base);
}
