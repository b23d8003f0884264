/**
 * Login round trip: POST /api/auth/login over loopback HTTP, next to the argon2id verification
 * it is built around (measured in this process with the same hash) — the difference is what our
 * stack adds. Also an authenticated read (GET /api/me) next to the unauthenticated health check.
 */
import { verify } from '@node-rs/argon2';
import { ApiClient, startTestServer } from '../tests/helpers/server.ts';
import type { BenchResult } from './benchmarks.ts';
import { percentile, round } from './stats.ts';

const LOGINS = 40;
const READS = 500;

export async function authLogin(): Promise<BenchResult[]> {
  // A high limit: this measures the login path, not the rate limiter's refusals.
  const server = await startTestServer({ LOGIN_RATE_LIMIT_MAX: '100000' });
  try {
    const hash = (server.sqlite!.prepare("select password_hash from users where username = 'judge'").get() as { password_hash: string }).password_hash;

    const verifyTimes: number[] = [];
    const loginTimes: number[] = [];
    for (let i = 0; i < LOGINS; i++) {
      let t = performance.now();
      await verify(hash, 'ezal-demo');
      verifyTimes.push(performance.now() - t);
      const client = new ApiClient(server.url);
      t = performance.now();
      await client.login('judge');
      loginTimes.push(performance.now() - t);
    }

    const client = new ApiClient(server.url);
    await client.login('judge');
    const meTimes: number[] = [];
    const healthTimes: number[] = [];
    for (let i = 0; i < READS; i++) {
      let t = performance.now();
      await client.get('/api/me');
      meTimes.push(performance.now() - t);
      t = performance.now();
      await client.get('/api/health');
      healthTimes.push(performance.now() - t);
    }

    return [
      { metric: 'login_p50_ms', value: round(percentile(loginTimes, 50)), unit: 'ms', baseline: round(percentile(verifyTimes, 50)), baselineIs: 'argon2id verify alone', n: LOGINS },
      { metric: 'login_p95_ms', value: round(percentile(loginTimes, 95)), unit: 'ms', baseline: round(percentile(verifyTimes, 95)), baselineIs: 'argon2id verify alone', n: LOGINS },
      { metric: 'me_p50_ms', value: round(percentile(meTimes, 50), 3), unit: 'ms', baseline: round(percentile(healthTimes, 50), 3), baselineIs: 'GET /api/health', n: READS },
      { metric: 'me_p95_ms', value: round(percentile(meTimes, 95), 3), unit: 'ms', baseline: round(percentile(healthTimes, 95), 3), baselineIs: 'GET /api/health', n: READS },
    ];
  } finally {
    await server.close();
  }
}
