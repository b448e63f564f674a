// IPv4 addresses and CIDR blocks: parsing, and the VPC ranges the network accepts.
// Each check returns undefined when the value is valid, or the rule it breaks, phrased to
// complete "<key>: ..." and say what to write instead.

const PRIVATE_RANGES: readonly [string, number][] = [
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["100.64.0.0", 10],
];

export function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Parses `a.b.c.d/n` strictly (no host bits set). */
export function parseCidr(cidr: string): { base: number; prefix: number } | string {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  const base = m ? ipv4ToNumber(m[1]) : undefined;
  const prefix = m ? Number(m[2]) : NaN;
  if (base === undefined || !(prefix >= 0 && prefix <= 32)) {
    return "must be an IPv4 CIDR such as 10.40.0.0/16";
  }
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    const network = base - (base % size);
    return `has host bits set: the network address is ${numberToIpv4(network)}/${prefix}`;
  }
  return { base, prefix };
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

export function checkVpcCidr(cidr: string): string | undefined {
  const parsed = parseCidr(cidr);
  if (typeof parsed === "string") return parsed;
  if (parsed.prefix < 16 || parsed.prefix > 24) {
    return "must have a prefix from /16 to /24 (room for public and private subnets in each AZ)";
  }
  const inside = PRIVATE_RANGES.some(([net, bits]) => {
    const size = 2 ** (32 - bits);
    const start = ipv4ToNumber(net) as number;
    return parsed.base >= start && parsed.base < start + size;
  });
  return inside
    ? undefined
    : "must be inside a private range: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10";
}
