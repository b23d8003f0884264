/**
 * Security headers on every answer: the page's Content-Security-Policy (the one SvelteKit writes
 * into index.html with its scripts' hashes, plus frame-ancestors; content-security-policy.ts), no
 * framing, no MIME sniffing, no referrer leaving the court, HSTS when served over HTTPS.
 * `responseHeaders()` is the same set for the answers socket.io writes itself.
 */
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import { contentSecurityPolicy } from './content-security-policy.ts';

declare module 'fastify' {
  interface FastifyInstance {
    responseHeaders: () => Record<string, string>;
  }
}

export const securityHeadersPlugin = fp(
  async (fastify) => {
    const { config } = fastify;
    const policy = contentSecurityPolicy(config.webBuildDir);
    fastify.addHook('onRequest', async (_request, reply) => void reply.header('content-security-policy', policy()));
    await fastify.register(helmet, {
      contentSecurityPolicy: false,
      frameguard: { action: 'deny' },
      strictTransportSecurity: config.cookieSecure ? { maxAge: 31_536_000 } : false,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'same-origin' },
    });
    fastify.decorate('responseHeaders', () => ({
      'content-security-policy': policy(),
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
    }));
  },
  { name: 'ezal-security-headers', fastify: '5.x', dependencies: ['ezal-core'] },
);
