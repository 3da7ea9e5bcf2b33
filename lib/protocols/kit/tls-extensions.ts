/**
 * A hello's extensions (RFC 8446 §4.2): each one's header as a field, and the decoded parts of those a
 * hello is read for — SNI, supported_versions, supported_groups, key_share, ALPN, signature_algorithms.
 */
import type { HelloParts, SpannedField } from './tls-hello.ts';
import { EXTENSIONS, HELLO_NOTES, NAMED_GROUPS, SIGNATURE_SCHEMES, VERSIONS, hex16, legacyPairName, nameOf } from './tls-names.ts';
import { Reader, versionName } from './tls-reader.ts';

/** One extension: its header as a field, and the decoded parts of the ones a hello is read for. */
export function readExtension(r: Reader, out: HelloParts, fields: SpannedField[], client: boolean): boolean {
  const start = r.pos;
  const type = r.num(2);
  const length = r.num(2);
  if (type === null || length === null || !r.has(length)) return false;
  out.extensions.push(type);
  const row = Object.hasOwn(EXTENSIONS, type) ? EXTENSIONS[type] : undefined;
  const end = r.pos + length;
  const header: SpannedField = { name: `extension ${row?.name ?? nameOf({}, type)}`, value: `${length} bytes`, note: row?.explain, ref: row?.ref, start, end, depth: 2 };
  fields.push(header);
  const body = new Reader(r.bytes, r.pos, end);
  const part = (name: string, value: string, from: number, to: number, note?: string) => fields.push({ name, value, note, start: from, end: to, depth: 3 });
  /** A vector of 16-bit code points behind a `lengthBytes` length, each named from `table`. */
  const codes = (lengthBytes: number, label: string, table: Readonly<Record<number, string>>, into: number[]) => {
    const n = body.num(lengthBytes) ?? 0;
    const stop = Math.min(body.pos + n, end);
    while (body.pos + 2 <= stop) {
      const code = body.num(2) ?? 0;
      into.push(code);
      const name = table === SIGNATURE_SCHEMES && !Object.hasOwn(table, code) && legacyPairName(code) ? `${legacyPairName(code)} (${hex16(code)})` : nameOf(table, code);
      part(label, name, body.pos - 2, body.pos);
    }
    return into;
  };
  switch (type) {
    case 0: {
      // ServerNameList: uint16 length, then entries of byte type (0 = host_name) + uint16 length + name.
      body.num(2);
      while (body.has(3)) {
        const entry = body.pos;
        const kind = body.num(1);
        const n = body.num(2) ?? 0;
        if (!body.has(n)) break;
        const name = new TextDecoder().decode(r.bytes.subarray(body.pos, body.pos + n));
        body.pos += n;
        if (kind === 0 && out.serverName === undefined) out.serverName = name;
        part(kind === 0 ? 'host name' : `name type ${kind}`, name, entry, body.pos, 'Readable by anyone on the path: SNI is not encrypted.');
      }
      header.value = out.serverName ?? header.value;
      break;
    }
    case 10:
      header.value = codes(2, 'group', NAMED_GROUPS, out.supportedGroups).map((g) => NAMED_GROUPS[g] ?? hex16(g)).join(', ');
      break;
    case 13:
      header.value = `${codes(2, 'signature scheme', SIGNATURE_SCHEMES, out.signatureAlgorithms).length} schemes`;
      break;
    case 43:
      if (client) codes(1, 'version', VERSIONS, out.supportedVersions);
      else {
        const v = body.num(2);
        if (v !== null) {
          out.supportedVersions.push(v);
          part('selected_version', versionName(v), body.pos - 2, body.pos, v === 0x0304 ? 'The server speaks TLS 1.3: this, not legacy_version, is the version of the connection.' : undefined);
        }
      }
      header.value = out.supportedVersions.map((v) => VERSIONS[v] ?? hex16(v)).join(', ');
      break;
    case 51:
      readKeyShares(body, end, out, part, client || out.type === 'HelloRetryRequest' ? (client ? 'client' : 'retry') : 'server');
      header.value = out.keyShareGroups.map((g) => NAMED_GROUPS[g] ?? hex16(g)).join(', ');
      break;
    case 16: {
      body.num(2);
      while (body.has(1)) {
        const from = body.pos;
        const n = body.num(1) ?? 0;
        if (!body.has(n)) break;
        const proto = new TextDecoder().decode(r.bytes.subarray(body.pos, body.pos + n));
        body.pos += n;
        out.alpn.push(proto);
        part('protocol', proto, from, body.pos);
      }
      header.value = out.alpn.join(', ');
      break;
    }
    case 45: {
      const n = body.num(1) ?? 0;
      for (let i = 0; i < n && body.has(1); i++) {
        const mode = body.num(1);
        part('mode', mode === 1 ? 'psk_dhe_ke (1)' : mode === 0 ? 'psk_ke (0)' : `${mode}`, body.pos - 1, body.pos);
      }
      break;
    }
  }
  r.pos = end;
  return true;
}

function readKeyShares(body: Reader, end: number, out: HelloParts, part: (name: string, value: string, from: number, to: number, note?: string) => void, side: 'client' | 'server' | 'retry'): void {
  if (side === 'retry') {
    // HelloRetryRequest: only the group the server wants a share for.
    const group = body.num(2);
    if (group !== null) {
      out.keyShareGroups.push(group);
      part('selected_group', nameOf(NAMED_GROUPS, group), body.pos - 2, body.pos, 'The server wants a key share in this group; the client sends a new ClientHello with one (RFC 8446 §4.2.8).');
    }
    return;
  }
  let stop = end;
  if (side === 'client') {
    // client_shares<0..2^16-1>: a length, then the entries.
    const length = body.num(2) ?? 0;
    stop = Math.min(end, body.pos + length);
  }
  while (body.pos + 4 <= stop) {
    const from = body.pos;
    const group = body.num(2) ?? 0;
    const n = body.num(2) ?? 0;
    body.pos = Math.min(body.pos + n, stop);
    out.keyShareGroups.push(group);
    const who = side === 'client' ? 'key share' : 'server key share';
    part(who, `${nameOf(NAMED_GROUPS, group)}, ${n}-byte public value`, from, body.pos, HELLO_NOTES.keyShare);
  }
}
