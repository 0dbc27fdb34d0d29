/**
 * liblsl's api configuration (`lsl_api.cfg`), the subset an outlet and a marker inlet use.
 *
 * Source: liblsl 1.17 `src/api_config.cpp` (defaults unchanged since 1.13) and the docs page
 * "Configuration File" (labstreaminglayer.readthedocs.io info/lslapicfg.html);
 * ../shared/notes/lsl-protocol.md §4.1. INI syntax, `[section]`, `Key = value`, lists as
 * `{a, b}`; `;` and `#` start comments. Files are searched by the caller in liblsl's order:
 * $LSLAPICFG, ./lsl_api.cfg, ~/lsl_api/lsl_api.cfg, /etc/lsl_api/lsl_api.cfg (first readable wins).
 */

export type ResolveScope = 'machine' | 'link' | 'site' | 'organization' | 'global';

export interface LslApiConfig {
  /** UDP port of the discovery responder ([ports] MulticastPort). */
  readonly multicastPort: number;
  /** First port tried for TCP data and UDP service sockets ([ports] BasePort); 0 = any free port. */
  readonly basePort: number;
  /** How many ports from basePort are tried ([ports] PortRange). */
  readonly portRange: number;
  /** ([ports] IPv6) — this outlet is IPv4-only; 'force' is reported, not honoured. */
  readonly ipv6: 'disable' | 'allow' | 'force';
  readonly resolveScope: ResolveScope;
  /** The multicast/broadcast addresses for resolveScope (after AddressesOverride). */
  readonly addresses: readonly string[];
  /** Local IPv4 addresses to join the multicast groups on ([multicast] Interfaces); empty = every interface. */
  readonly interfaces: readonly string[];
  /** Address the sockets bind to (Soothe extension `[multicast] ListenAddress`; default any). */
  readonly listenAddress: string;
  readonly ttl: number;
  /** ([lab] KnownPeers) hosts an inlet queries by unicast. */
  readonly knownPeers: readonly string[];
  /** ([lab] SessionID) */
  readonly sessionId: string;
}

const MACHINE = ['127.0.0.1'];
const LINK = ['255.255.255.255', '224.0.0.1', '224.0.0.183', 'FF02:113D:6FDD:2C17:A643:FFE2:1BD1:3CD2'];
const SITE = ['239.255.172.215', 'FF05:113D:6FDD:2C17:A643:FFE2:1BD1:3CD2'];
const TTL: Record<ResolveScope, number> = { machine: 0, link: 1, site: 24, organization: 32, global: 255 };

export const DEFAULT_LSL_API_CONFIG: LslApiConfig = {
  multicastPort: 16571,
  basePort: 16572,
  portRange: 32,
  ipv6: 'allow',
  resolveScope: 'site',
  addresses: [...MACHINE, ...LINK, ...SITE],
  interfaces: [],
  listenAddress: '0.0.0.0',
  ttl: TTL.site,
  knownPeers: [],
  sessionId: 'default',
};

/** `[section] key → raw value` from INI text (keys as written; sections lower-cased). */
export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[;#].*$/, '').trim();
    if (!line) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = (sec[1] ?? '').trim().toLowerCase();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    (out[section] ??= {})[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** `{a, b}` or `a, b` → ['a', 'b']. */
export function parseList(v: string): string[] {
  return v
    .replace(/^\{/, '')
    .replace(/\}$/, '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The scope's address list, as liblsl builds it (each wider scope adds to the narrower ones). */
export function scopeAddresses(scope: ResolveScope, lists: { machine?: string[]; link?: string[]; site?: string[]; organization?: string[]; global?: string[] } = {}): string[] {
  const order: ResolveScope[] = ['machine', 'link', 'site', 'organization', 'global'];
  const defaults: Record<ResolveScope, string[]> = { machine: MACHINE, link: LINK, site: SITE, organization: [], global: [] };
  const out: string[] = [];
  for (const s of order.slice(0, order.indexOf(scope) + 1)) out.push(...(lists[s] ?? defaults[s]));
  return out;
}

/** Reads `lsl_api.cfg` text over the defaults; unknown keys are ignored, bad numbers keep the default. */
export function parseLslApiConfig(text: string): LslApiConfig {
  const ini = parseIni(text);
  const ports = ini['ports'] ?? {};
  const mc = ini['multicast'] ?? {};
  const lab = ini['lab'] ?? {};
  const d = DEFAULT_LSL_API_CONFIG;
  const int = (v: string | undefined, def: number, min: number, max: number): number => {
    const n = Number(v);
    return v !== undefined && Number.isInteger(n) && n >= min && n <= max ? n : def;
  };
  const scopeRaw = (mc['resolvescope'] ?? d.resolveScope).toLowerCase();
  const resolveScope: ResolveScope = (['machine', 'link', 'site', 'organization', 'global'] as const).find((s) => s === scopeRaw) ?? d.resolveScope;
  const list = (k: string): string[] | undefined => (mc[k] !== undefined ? parseList(mc[k] ?? '') : undefined);
  const override = list('addressesoverride');
  const addresses =
    override && override.length > 0
      ? override
      : scopeAddresses(resolveScope, { machine: list('machineaddresses'), link: list('linkaddresses'), site: list('siteaddresses'), organization: list('organizationaddresses'), global: list('globaladdresses') });
  const ipv6Raw = (ports['ipv6'] ?? 'allow').toLowerCase();
  return {
    multicastPort: int(ports['multicastport'], d.multicastPort, 0, 65535),
    basePort: int(ports['baseport'], d.basePort, 0, 65535),
    portRange: int(ports['portrange'], d.portRange, 1, 65535),
    ipv6: ipv6Raw === 'disable' || ipv6Raw === 'force' ? ipv6Raw : 'allow',
    resolveScope,
    addresses,
    interfaces: mc['interfaces'] !== undefined ? parseList(mc['interfaces']) : d.interfaces,
    listenAddress: mc['listenaddress'] || d.listenAddress,
    ttl: int(mc['ttloverride'], TTL[resolveScope], 0, 255),
    knownPeers: lab['knownpeers'] !== undefined ? parseList(lab['knownpeers']) : d.knownPeers,
    sessionId: lab['sessionid'] || d.sessionId,
  };
}

/** IPv4 multicast groups among the configured addresses (224.0.0.0/4): the ones a responder joins. */
export function ipv4MulticastGroups(addresses: readonly string[]): string[] {
  return addresses.filter((a) => {
    const m = /^(\d+)\.\d+\.\d+\.\d+$/.exec(a);
    const first = m ? Number(m[1]) : -1;
    return first >= 224 && first <= 239;
  });
}
