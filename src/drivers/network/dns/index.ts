/**
 * The embedded DNS server of user-defined networks (see embedded-dns.ts) and its pure DNS
 * message codec. The networks service wires EmbeddedDns; nothing else here is needed outside.
 */
export { EmbeddedDns, type EmbeddedDnsOptions, type ServeExtras } from './embedded-dns.js';
export type { DnsLookup, DnsReverseLookup } from './responder.js';
export { parseUpstream, type Upstream } from './forwarder.js';
