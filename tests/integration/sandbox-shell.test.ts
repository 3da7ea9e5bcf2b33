import type { ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestLab } from '../helpers/daemon.ts';
import { connectClient, exec, startSshTestLab } from './ssh-helpers.ts';

let lab: TestLab;
beforeAll(async () => {
  lab = await startSshTestLab();
});
afterAll(async () => {
  await lab?.stop();
});

describe('the simulated shell over a real SSH client', () => {
  it.each<[string, string, string, number]>([
    ['cd docs && ls', 'hello.txt  rfcs.txt\n', '', 0],
    ['ls docs | wc -l', '2\n', '', 0],
    ['cd nowhere && echo no; echo always', 'always\n', 'cd: nowhere: No such file or directory\n', 0],
    ['cd nowhere || echo fallback', 'fallback\n', 'cd: nowhere: No such file or directory\n', 0],
    ['grep FTP docs/rfcs.txt | sort -r', 'RFC 959   File Transfer Protocol (FTP)\nRFC 4217  Securing FTP with TLS (FTPS)\n', '', 0],
    ['cat docs/rfcs.txt | grep -c RFC', '5\n', '', 0],
    ['tail -n 1 docs/rfcs.txt', 'RFC 5321  Simple Mail Transfer Protocol\n', '', 0],
    ['echo "a; b && c | d"', 'a; b && c | d\n', '', 0],
    ['cp -r docs copy && ls copy | uniq', 'hello.txt\nrfcs.txt\n', '', 0],
    ['ls | grep -v txt', 'copy\ndocs\n', '', 0],
    ['ls |', '', "-sh: syntax error near unexpected token `newline'\n", 2],
  ])('exec %j', async (command, stdout, stderr, code) => {
    const { client } = await connectClient(lab);
    const result = await exec(client, command);
    client.end();
    expect(result).toEqual({ stdout, stderr, code });
  });

  it('runs lists and pipelines typed into an interactive pty shell', async () => {
    const { client } = await connectClient(lab);
    const channel = await new Promise<ClientChannel>((resolve, reject) =>
      client.shell({ term: 'xterm', cols: 80, rows: 24 }, (err, stream) => (err ? reject(err) : resolve(stream))),
    );
    let output = '';
    const closed = new Promise<void>((resolve) => channel.on('close', () => resolve()));
    channel.on('data', (d: Buffer) => (output += d.toString('utf8')));
    channel.write('cd docs && ls | sort -r; pwd\r');
    channel.write('exit\r');
    await closed;
    client.end();
    expect(output).toContain('cd docs && ls | sort -r; pwd\r\nrfcs.txt\r\nhello.txt\r\n/docs\r\n');
  });
});
