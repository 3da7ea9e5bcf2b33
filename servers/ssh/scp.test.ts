import { describe, expect, it } from 'vitest';
import { parseScpCommand } from './scp.ts';

describe('parseScpCommand (what a legacy scp client execs)', () => {
  it('reads the sink and source forms OpenSSH sends', () => {
    expect(parseScpCommand('scp -t /')).toEqual({ mode: 'sink', recursive: false, preserve: false, paths: ['/'] });
    expect(parseScpCommand('scp -v -t -- /a b.txt')).toBeNull();
    // An unquoted name with a space reaches a remote shell as two files: both are sent (or said missing).
    expect(parseScpCommand('scp -f /a b.txt')).toEqual({ mode: 'source', recursive: false, preserve: false, paths: ['/a', 'b.txt'] });
    expect(parseScpCommand("scp -t -- '/a b.txt'")).toEqual({ mode: 'sink', recursive: false, preserve: false, paths: ['/a b.txt'] });
    expect(parseScpCommand('scp -f /x.bin')).toEqual({ mode: 'source', recursive: false, preserve: false, paths: ['/x.bin'] });
    expect(parseScpCommand('scp -r -p -t .')).toEqual({ mode: 'sink', recursive: true, preserve: true, paths: ['.'] });
    expect(parseScpCommand('scp -pt /d')).toEqual({ mode: 'sink', recursive: false, preserve: true, paths: ['/d'] })
    // libssh2 (curl's scp://) quotes the path and always asks for the times.
    expect(parseScpCommand("scp -pf '/README.txt'")).toEqual({ mode: 'source', recursive: false, preserve: true, paths: ['/README.txt'] });;
  });

  it('leaves everything else to the simulated shell', () => {
    for (const command of ['scp', 'scp /a /b', 'scp -t', 'scp -x -t /', 'ls -t /', 'scp -t / ; rm x', 'scp -t / > f']) {
      expect(parseScpCommand(command), command).toBeNull();
    }
  });
});
