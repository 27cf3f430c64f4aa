/**
 * The configuration the creation benchmark runs the service with — in its own process for the main
 * measurement, and in child processes for the tracing comparison — written once. Callers add the
 * identity settings of their test issuer (every request carries its token).
 */
export function benchServiceEnv(databaseUrl: string, poolMax: number): Record<string, string> {
  return {
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: String(poolMax),
    LOG_LEVEL: 'warn',
    SIMULATED_PEER_LATENCY_MS: '0',
    METRICS_PORT: '0',
    // One caller drives all the load here; its rate limit must not be what is measured.
    RATE_LIMIT_USER_MAX: '1000000',
  };
}
