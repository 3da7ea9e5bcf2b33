/**
 * FTP's tap-side rules: on the control connection the 227/229 reply is rewritten to a port where
 * nothing listens; on a data connection (a secondary connection whose parent is the control
 * connection, through the same pipeline) the lab cuts both sides after N bytes.
 */
import { groupDigits } from '../text/numbers.ts';
import { injectedMark, injectedNote, faultAnnotation } from './injected.ts';
import type { ProtocolFaults } from './tap-faults.ts';

const PASV_UNREACHABLE = 'ftp.pasv-unreachable';
const DATA_DROP = 'ftp.data-drop';

/**
 * Where the rewritten reply points: the lab's own loopback address, port 1 (tcpmux, which nothing here
 * serves), so the client's connect is refused at once and no packet leaves the machine. A real
 * misconfigured server names an address the client cannot route to, and the connect hangs until it times out.
 */
const UNREACHABLE = { host: [127, 0, 0, 1], port: 1 };

export function ftpFaults(dataConnection: boolean): ProtocolFaults {
  if (dataConnection) {
    let passed = 0;
    return {
      framingRules: [],
      byteRules: [DATA_DROP],
      decide: () => null,
      cut(ctx, _dir, length) {
        const limit = ctx.param(DATA_DROP) ?? 0;
        if (limit === 0 || passed + length <= limit) {
          passed += length;
          return null;
        }
        const fired = ctx.fire(DATA_DROP);
        if (!fired) return null;
        const pass = Math.max(0, limit - passed);
        passed += pass;
        return { pass, note: injectedNote(fired.rule, `The lab cut this data connection after ${groupDigits(limit)} bytes (both sides reset).`) };
      },
    };
  }
  return {
    framingRules: [PASV_UNREACHABLE],
    decide(ctx, dir, message, bytes) {
      if (dir !== 'server' || message.kind !== 'reply') return null;
      const code = message.fields?.find((f) => f.name === 'code')?.value;
      if (code !== '227' && code !== '229') return null;
      const original = bytes.toString('latin1').replace(/\r?\n$/, '');
      const line =
        code === '227'
          ? original.replace(/\d{1,3},\d{1,3},\d{1,3},\d{1,3},\d{1,3},\d{1,3}/, [...UNREACHABLE.host, Math.floor(UNREACHABLE.port / 256), UNREACHABLE.port % 256].join(','))
          : original.replace(/\(([!-~])\1\1\d{1,5}\1\)/, (_m, d: string) => `(${d}${d}${d}${UNREACHABLE.port}${d})`);
      if (line === original) return null;
      const fired = ctx.fire(PASV_UNREACHABLE);
      if (!fired) return null;
      const out = Buffer.from(`${line}\r\n`, 'latin1');
      return {
        replace: {
          bytes: out,
          message: {
            dir: 'server',
            kind: 'reply',
            text: line,
            bytes: out.length,
            fields: [
              { name: 'code', value: code },
              ...(code === '227' ? [{ name: 'address', value: UNREACHABLE.host.join('.') }] : []),
              { name: 'port', value: String(UNREACHABLE.port), note: code === '227' ? 'p1×256+p2 = 0×256+1' : 'nothing listens there' },
              { name: 'the server said', value: original },
            ],
            annotation: faultAnnotation(fired.rule, `The server said "${original}"; the lab rewrote it.`),
            injected: injectedMark(fired.rule),
            phase: message.phase,
          },
        },
      };
    },
  };
}
