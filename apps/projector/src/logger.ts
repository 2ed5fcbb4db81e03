/** The projector's JSON log lines (docs/operations.md): the same shape and redaction as ledger-api's. */
import pino, { type Logger } from 'pino';

export function projectorLogger(level: string, fd: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { service: 'projector', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          'authorization',
          'password',
          'secret',
          'token',
          '*.password',
          '*.secret',
          '*.token',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: fd, sync: true }),
  );
}
