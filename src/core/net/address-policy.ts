/**
 * Which IP addresses a download may connect to (pure). Only globally routable unicast addresses
 * are public; loopback, private (RFC 1918), link-local, CGNAT, unique-local, unspecified,
 * multicast and other special-purpose ranges are refused, so a URL cannot reach this machine or
 * its network. IPv4 embedded in IPv6 (mapped, compatible, NAT64, 6to4) is judged by the IPv4 part.
 */

export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade NAT'
  | 'unique-local'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'invalid'

/** Dotted-quad IPv4 (the only form `URL` and DNS produce) -> 4 bytes, or null. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  const bytes = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : NaN))
  return bytes.every((byte) => Number.isInteger(byte) && byte <= 255) ? bytes : null
}

/** IPv6 text (no brackets, optional zone, optional dotted tail) -> 16 bytes, or null. */
export function parseIpv6(text: string): number[] | null {
  const address = text.replace(/%.*$/, '')
  const halves = address.split('::')
  if (halves.length > 2) return null
  const groupsOf = (part: string): number[] | null => {
    if (part === '') return []
    const groups: number[] = []
    const pieces = part.split(':')
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece)
        if (!v4) return null
        groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3])
      } else if (/^[\da-f]{1,4}$/i.test(piece)) {
        groups.push(parseInt(piece, 16))
      } else {
        return null
      }
    }
    return groups
  }
  const head = groupsOf(halves[0])
  const tail = halves.length === 2 ? groupsOf(halves[1]) : []
  if (!head || !tail) return null
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail]
  return groups.flatMap((group) => [group >> 8, group & 0xff])
}

function inIpv4(bytes: number[], prefix: [number, number, number, number], bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const byte = bit >> 3
    const mask = 0x80 >> (bit & 7)
    if ((bytes[byte] & mask) !== (prefix[byte] & mask)) return false
  }
  return true
}

const IPV4_RANGES: Array<[[number, number, number, number], number, AddressKind]> = [
  [[0, 0, 0, 0], 8, 'unspecified'], // "this network"; 0.0.0.0 reaches this host
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'carrier-grade NAT'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'], // cloud metadata services live here
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'],
  [[192, 0, 2, 0], 24, 'documentation'],
  [[192, 88, 99, 0], 24, 'reserved'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'reserved'], // benchmarking
  [[198, 51, 100, 0], 24, 'documentation'],
  [[203, 0, 113, 0], 24, 'documentation'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[255, 255, 255, 255], 32, 'broadcast'],
  [[240, 0, 0, 0], 4, 'reserved']
]

export function classifyIpv4(bytes: number[]): AddressKind {
  return IPV4_RANGES.find(([prefix, bits]) => inIpv4(bytes, prefix, bits))?.[2] ?? 'public'
}

const isZero = (bytes: number[]) => bytes.every((byte) => byte === 0)

export function classifyIpv6(bytes: number[]): AddressKind {
  const head = bytes.slice(0, 10)
  if (isZero(bytes)) return 'unspecified'
  if (isZero(bytes.slice(0, 15)) && bytes[15] === 1) return 'loopback'
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible) reach the IPv4 address.
  if (isZero(head) && ((bytes[10] === 0xff && bytes[11] === 0xff) || (bytes[10] === 0 && bytes[11] === 0))) {
    return classifyIpv4(bytes.slice(12))
  }
  // 64:ff9b::/96 (NAT64) and 64:ff9b:1::/48 (local-use NAT64) translate to the embedded IPv4.
  if (bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b) {
    if (isZero(bytes.slice(4, 12))) return classifyIpv4(bytes.slice(12))
    return 'reserved'
  }
  // 2002::/16 (6to4) carries an IPv4 address in bits 16..47.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return classifyIpv4(bytes.slice(2, 6))
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0x0d && bytes[3] === 0xb8) return 'documentation'
  // 2001:0::/32 (Teredo) tunnels to an obfuscated IPv4 address: refuse rather than decode.
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0 && bytes[3] === 0) return 'reserved'
  if ((bytes[0] & 0xfe) === 0xfc) return 'unique-local'
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return 'link-local'
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0xc0) return 'private' // deprecated site-local
  if (bytes[0] === 0xff) return 'multicast'
  // Only 2000::/3 is globally routable unicast.
  if ((bytes[0] & 0xe0) !== 0x20) return 'reserved'
  return 'public'
}

/** Classifies an IP address as DNS or `URL.hostname` writes it (IPv6 with or without brackets). */
export function classifyAddress(address: string): AddressKind {
  const bare = address.replace(/^\[(.*)\]$/, '$1')
  const v4 = parseIpv4(bare)
  if (v4) return classifyIpv4(v4)
  const v6 = bare.includes(':') ? parseIpv6(bare) : null
  return v6 ? classifyIpv6(v6) : 'invalid'
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public'
}
