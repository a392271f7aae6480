/**
 * IP allowlists for webhooks without signatures (Brevo publishes 1.179.112.0/20 and 172.246.240.0/20).
 * CIDR ranges or single addresses, IPv4 and IPv6.
 */

function parseV4(ip: string): bigint | null {
  const parts = ip.split(".");
  if (parts.length !== 4) return null;
  let out = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    out = (out << 8n) | BigInt(Number(p));
  }
  return out;
}

function parseV6(ip: string): bigint | null {
  if (!/^[0-9a-f:.]+$/i.test(ip) || ip.split("::").length > 2) return null;
  const [head = "", tail] = ip.split("::");
  const groups = (s: string) => (s ? s.split(":") : []);
  let left = groups(head);
  let right = tail === undefined ? [] : groups(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const last = (tail === undefined ? left : right).at(-1);
  if (last?.includes(".")) {
    const v4 = parseV4(last);
    if (v4 === null) return null;
    const words = [(v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
    if (tail === undefined) left = [...left.slice(0, -1), ...words];
    else right = [...right.slice(0, -1), ...words];
  }
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  let out = 0n;
  for (const g of [...left, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...right]) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    out = (out << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return out;
}

function parseIp(ip: string): { value: bigint; bits: 32 | 128 } | null {
  const v4 = parseV4(ip);
  if (v4 !== null) return { value: v4, bits: 32 };
  const v6 = parseV6(ip);
  return v6 === null ? null : { value: v6, bits: 128 };
}

/** A CIDR range or a single address; null when it does not parse. */
export function parseCidr(cidr: string): { value: bigint; bits: 32 | 128; prefix: number } | null {
  const [addr = "", prefixText] = cidr.trim().split("/");
  const ip = parseIp(addr);
  if (!ip) return null;
  const prefix = prefixText === undefined ? ip.bits : Number(prefixText);
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > ip.bits ||
    (prefixText !== undefined && !/^\d+$/.test(prefixText))
  ) {
    return null;
  }
  return { ...ip, prefix };
}

/** Whether `ip` falls in one of the ranges. Unparseable addresses or ranges never match. */
export function ipAllowed(ip: string | null | undefined, ranges: string[]): boolean {
  const addr = ip ? parseIp(ip.trim()) : null;
  if (!addr) return false;
  return ranges.some((r) => {
    const range = parseCidr(r);
    if (!range || range.bits !== addr.bits) return false;
    const shift = BigInt(range.bits - range.prefix);
    return addr.value >> shift === range.value >> shift;
  });
}
