import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesServer from 'aws-ses-v2-local';
import { crossSiteWrite, hostAllowed, loopbackHosts, originsOf } from './request-guard';

/**
 * The SES stand-in, in process: it captures every message sent and serves them as JSON and a web
 * UI. The captured mail is customers' personal data, so the server answers only requests whose
 * Host names it (no DNS rebinding) and no state-changing request from another site's page.
 */
export async function startSesLocal(opts: { port?: number } = {}) {
  const server: Server = await sesServer({ host: '127.0.0.1', port: opts.port ?? 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  guardRequests(server, loopbackHosts(port));
  return {
    endpoint,
    port,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

export interface CapturedEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** Reads the captured mail, newest last. */
export async function capturedMail(sesEndpoint: string): Promise<CapturedEmail[]> {
  const res = await fetch(`${sesEndpoint}/store`);
  if (!res.ok) throw new Error(`SES capture answered ${res.status}`);
  const data = (await res.json()) as { emails: CapturedEmail[] };
  return data.emails;
}

/** Puts the request guards in front of a server whose request handling is not ours (the SES stand-in's express app). */
export function guardRequests(server: Server, hosts: ReadonlySet<string>): void {
  const origins = originsOf(hosts);
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req, hosts) || crossSiteWrite(req, origins)) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden: the local stack answers its own origin only');
      return;
    }
    for (const listener of listeners) listener.call(server, req, res);
  });
}
