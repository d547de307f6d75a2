import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesServer from 'aws-ses-v2-local';

/** The SES stand-in, in process: it captures every message sent and serves them as JSON and a web UI. */
export async function startSesLocal(opts: { port?: number } = {}) {
  const server: Server = await sesServer({ host: '127.0.0.1', port: opts.port ?? 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
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
