import { FtpSrv } from 'ftp-srv';
import { describe, expect, it } from 'vitest';
import { withoutSignalHandlers } from './no-signal-handlers.ts';

describe('withoutSignalHandlers', () => {
  it('removes the SIGTERM/SIGINT/SIGQUIT listeners ftp-srv adds, and only those', () => {
    const mine = () => {};
    process.on('SIGTERM', mine);
    const counts = () => ['SIGTERM', 'SIGINT', 'SIGQUIT'].map((s) => process.listenerCount(s));
    const before = counts();
    const plain = new FtpSrv({ url: 'ftp://127.0.0.1:0' });
    expect(counts()).toEqual(before.map((n) => n + 1)); // the fault is real
    for (const s of ['SIGTERM', 'SIGINT', 'SIGQUIT']) process.removeListener(s as NodeJS.Signals, process.listeners(s as NodeJS.Signals).at(-1) as () => void);
    withoutSignalHandlers(() => new FtpSrv({ url: 'ftp://127.0.0.1:0' }));
    expect(counts()).toEqual(before);
    expect(process.listeners('SIGTERM')).toContain(mine);
    process.off('SIGTERM', mine);
    void plain;
  });
});
