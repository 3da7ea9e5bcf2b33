'use client';

import { useState } from 'react';
import { ftpApi, type Comparison, type ComparisonRow } from './api';
import { formatBytes, formatMs } from '@/components/lab/format';

const SIZES = [
  { label: '64 KB', bytes: 64 * 1024 },
  { label: '1 MB', bytes: 1024 * 1024 },
  { label: '8 MB', bytes: 8 * 1024 * 1024 },
];

const ROWS: { label: string; cell(row: ComparisonRow): React.ReactNode }[] = [
  { label: 'TCP connections', cell: (r) => <span className="tabular-nums">{r.tcpConnections}</span> },
  { label: 'Ports used', cell: (r) => <span className="font-mono text-xs">{r.ports.join(' · ')}</span> },
  { label: 'What is encrypted', cell: (r) => r.encrypted },
  { label: 'How auth works', cell: (r) => <span className="[overflow-wrap:anywhere]">{r.auth}</span> },
  {
    label: 'Bytes on the wire',
    cell: (r) => (
      <span className="tabular-nums">
        {r.bytesOnWire.toLocaleString('en')} B{' '}
        <span className="text-slate-400">
          for {formatBytes(r.payloadBytes)} of file data (+{(((r.bytesOnWire - r.payloadBytes) / Math.max(1, r.payloadBytes)) * 100).toFixed(1)}%)
        </span>
      </span>
    ),
  },
  { label: 'Time (upload + download)', cell: (r) => <span className="tabular-nums">{formatMs(r.ms)}</span> },
];

/** FTPS vs SFTP, measured: runs the same upload + download with both and fills the table from the real sessions. */
export function ComparePanel({ onShowConnection }: { onShowConnection(id: string): void }) {
  const [bytes, setBytes] = useState(SIZES[1].bytes);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Comparison | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(await ftpApi.compare(bytes));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="flex h-full flex-col gap-3 overflow-y-auto p-3 text-sm" data-testid="compare">
      <div className="flex flex-wrap items-center gap-2">
        <p className="mr-auto text-slate-300">Upload and download the same random file with FTPS (AUTH TLS, PROT P, passive) and with SFTP, then compare what really crossed the wire.</p>
        <select
          aria-label="File size"
          value={bytes}
          onChange={(e) => setBytes(Number(e.target.value))}
          className="rounded border border-slate-700 bg-slate-900 px-2 py-1 text-sm"
        >
          {SIZES.map((s) => (
            <option key={s.bytes} value={s.bytes}>
              {s.label}
            </option>
          ))}
        </select>
        <button onClick={() => void run()} disabled={running} className="rounded-md bg-sky-700 px-3 py-1 font-medium text-white hover:bg-sky-600 disabled:opacity-60">
          {running ? 'Running…' : 'Run comparison'}
        </button>
      </div>
      {error && <p className="rounded border border-red-800 bg-red-950/50 px-3 py-1 text-red-200">{error}</p>}
      {result && (
        <table className="w-full table-fixed border-collapse text-left" data-testid="compare-table">
          <thead>
            <tr className="border-b border-slate-700 text-slate-200">
              <th className="w-36 py-1.5 pr-2 font-semibold">{formatBytes(result.bytes)} file</th>
              {result.rows.map((r) => (
                <th key={r.protocol} className="py-1.5 pr-2 font-semibold">
                  {r.protocol}
                  {r.protocol === 'FTPS' && r.connections?.[0] && (
                    <button className="ml-2 text-xs font-normal text-sky-300 hover:text-sky-100" onClick={() => onShowConnection(r.connections![0])}>
                      show channels
                    </button>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => (
              <tr key={row.label} className="border-b border-slate-800 align-top">
                <th className="py-1.5 pr-2 text-xs font-medium uppercase tracking-wide text-slate-400">{row.label}</th>
                {result.rows.map((r) => (
                  <td key={r.protocol} className="py-1.5 pr-3 text-slate-200">
                    {r.ok ? row.cell(r) : row === ROWS[0] ? <span className="text-red-300">{r.error}</span> : '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!result && !running && <p className="text-slate-400">Nothing measured yet. The table fills from the real sessions: the FTPS one also appears in Channels.</p>}
    </div>
  );
}
