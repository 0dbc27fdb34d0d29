/**
 * Discovery query matching: the query is an XPath 1.0 expression evaluated as a boolean with the
 * stream's `<info>` element as context (liblsl `stream_info_impl::matches_query`, pugixml).
 *
 * Library: npm `xpath` (goto100/xpath, MIT, pure JS, XPath 1.0 — the same language version as
 * pugixml, so `nominal_srate='4'` stays a string comparison that does not match
 * `4.000000000000000` while `nominal_srate=4` matches numerically) on a DOM from
 * `@xmldom/xmldom` (MIT, maintained, pure JS). XPath 2/3 engines (fontoxpath) would change those
 * comparison rules. Both load through `createRequire` with a narrow local type: xpath's bundled
 * typings pull the whole DOM lib into the main-process typecheck.
 */
import { createRequire } from 'node:module';

interface XmlDomModule {
  DOMParser: new (opts?: { onError?: (level: string, msg: string) => void }) => { parseFromString(xml: string, mime: string): { documentElement: unknown } };
}
interface XPathModule {
  select(expression: string, node: unknown, single: true): unknown;
}

const require = createRequire(import.meta.url);
const xmldom = require('@xmldom/xmldom') as XmlDomModule;
const xpath = require('xpath') as XPathModule;

/** liblsl caches results per query string (`[tuning] MaxCachedQueries`, 100). */
const MAX_CACHED_QUERIES = 100;

/** Matches queries against one stream's full info XML; results cached per query. */
export class QueryMatcher {
  private readonly info: unknown;
  private readonly cache = new Map<string, boolean>();

  constructor(fullInfoXml: string) {
    const doc = new xmldom.DOMParser({ onError: () => undefined }).parseFromString(fullInfoXml, 'text/xml');
    this.info = doc.documentElement;
  }

  /** True when the query selects this stream; an empty query matches, an invalid one does not. */
  matches(query: string): boolean {
    const q = query.trim();
    if (q === '') return true;
    const hit = this.cache.get(q);
    if (hit !== undefined) return hit;
    let result = false;
    try {
      result = xpath.select(`boolean(${q})`, this.info, true) === true;
    } catch {
      result = false; // liblsl logs and treats a malformed query as no match
    }
    if (this.cache.size >= MAX_CACHED_QUERIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(q, result);
    return result;
  }
}
