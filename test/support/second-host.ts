import { execFileSync, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { networkInterfaces } from 'node:os';

/**
 * A second host for tests of what the local stack exposes to the network: a network namespace
 * made for the test with a veth pair to this one (10.233.N.2 there, 10.233.N.1 here). It needs root
 * and iproute2; where those are missing, the "other host" is this machine reached through its own
 * non-loopback address, which still tells a loopback listener from one on every interface.
 */
export interface SecondHost {
  /** How the stack's machine is addressed from the other host. */
  addressOfThisMachine: string;
  /** How the test reached it: `network namespace` or `this machine's <iface> address`. */
  kind: string;
  /** Runs a Node.js script on the other host and returns what it printed. */
  runNode(script: string): string;
  remove(): void;
}

export function openSecondHost(): SecondHost | undefined {
  const root = process.getuid?.() === 0;
  const ip = spawnSync('ip', ['-V']).status === 0;
  if (root && ip) return namespaceHost();
  const external = Object.entries(networkInterfaces())
    .flatMap(([name, addrs]) => (addrs ?? []).map((a) => ({ name, ...a })))
    .find((a) => a.family === 'IPv4' && !a.internal);
  if (!external) return undefined;
  return {
    addressOfThisMachine: external.address,
    kind: `this machine's ${external.name} address`,
    runNode: (script) => execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 }),
    remove: () => undefined,
  };
}

function namespaceHost(): SecondHost {
  const n = randomInt(1, 250);
  const ns = `cf-test-${process.pid}-${n}`;
  const here = `cfh${n}x${process.pid % 1000}`;
  const there = `cfn${n}x${process.pid % 1000}`;
  const run = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  run('netns', 'add', ns);
  try {
    run('link', 'add', here, 'type', 'veth', 'peer', 'name', there);
    run('link', 'set', there, 'netns', ns);
    run('addr', 'add', `10.233.${n}.1/30`, 'dev', here);
    run('link', 'set', here, 'up');
    run('netns', 'exec', ns, 'ip', 'addr', 'add', `10.233.${n}.2/30`, 'dev', there);
    run('netns', 'exec', ns, 'ip', 'link', 'set', there, 'up');
    run('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
  } catch (error) {
    spawnSync('ip', ['link', 'del', here]);
    spawnSync('ip', ['netns', 'del', ns]);
    throw error;
  }
  return {
    addressOfThisMachine: `10.233.${n}.1`,
    kind: 'network namespace',
    runNode: (script) => execFileSync('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { encoding: 'utf8', timeout: 20_000 }),
    remove: () => {
      spawnSync('ip', ['link', 'del', here]);
      spawnSync('ip', ['netns', 'del', ns]);
    },
  };
}
