// The guard against server-side request forgery: addresses on private, loopback and link-local
// networks are refused, checked on the address actually connected to (redirects included).
import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { Agent } from 'undici';

const V4_BLOCKS: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const v4Number = (ip: string) => ip.split('.').reduce((value, part) => value * 256 + Number(part), 0);

/** Whether an IP address is on a network an API should not reach on a user's behalf. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) {
    const value = v4Number(ip);
    return V4_BLOCKS.some(
      ([base, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(v4Number(base) / 2 ** (32 - bits)),
    );
  }
  if (family === 6) {
    const address = ip.toLowerCase().replace(/^\[|\]$/g, '');
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(address);
    if (mapped) return isPrivateAddress(mapped[1]!);
    if (address === '::' || address === '::1') return true;
    const first = parseInt(address.split(':')[0] || '0', 16);
    // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
  }
  return true; // not an address at all: refuse
}

/** A DNS lookup that fails for private addresses: the check happens on the address actually connected to. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as unknown as Array<{ address: string; family: number }>;
    const blocked = list.find((entry) => isPrivateAddress(entry.address));
    if (blocked)
      return callback(
        Object.assign(new Error(`${hostname} resolves to ${blocked.address}, a private address`), {
          code: 'E_PRIVATE_ADDRESS',
        }),
        '',
        0,
      );
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (error: null, addresses: unknown) => void)(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
};

let guardedAgent: Promise<Agent> | undefined;
/** The agent whose connections look host names up through guardedLookup (undici loaded on first use). */
export const guarded = () =>
  (guardedAgent ??= import('undici').then(({ Agent }) => new Agent({ connect: { lookup: guardedLookup } })));
