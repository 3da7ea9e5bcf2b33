import { describe, expect, it } from 'vitest';
import { parseScpCommand } from './scp.ts';

describe('parseScpCommand (what a legacy scp client execs)', () => {
  it('reads the sink and source forms OpenSSH sends', () => {
    expect(parseScpCommand('scp -t /')).toEqual({ mode: 'sink', recursive: false, path: '/' });
    expect(parseScpCommand('scp -v -t -- /a b.txt')).toBeNull();
    expect(parseScpCommand("scp -t -- '/a b.txt'")).toEqual({ mode: 'sink', recursive: false, path: '/a b.txt' });
    expect(parseScpCommand('scp -f /x.bin')).toEqual({ mode: 'source', recursive: false, path: '/x.bin' });
    expect(parseScpCommand('scp -r -p -t .')).toEqual({ mode: 'sink', recursive: true, path: '.' });
    expect(parseScpCommand('scp -pt /d')).toEqual({ mode: 'sink', recursive: false, path: '/d' });
  });

  it('leaves everything else to the simulated shell', () => {
    for (const command of ['scp', 'scp /a /b', 'scp -t', 'scp -x -t /', 'ls -t /', 'scp -t / ; rm x', 'scp -t / > f']) {
      expect(parseScpCommand(command), command).toBeNull();
    }
  });
});
