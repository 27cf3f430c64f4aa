import { pino } from 'pino';

/** Logs nothing unless LOG_LEVEL asks for it, to keep test output readable. */
export const quietLogger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
