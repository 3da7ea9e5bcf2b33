import { describe, expect, it } from 'vitest';
import { ftpRecipes } from '@/components/ftp/recipes';
import { smtpRecipes } from '@/components/smtp/recipes';
import { soapRecipes } from '@/components/soap/recipes';
import { knownHostsNameOf, sshRecipes } from '@/components/ssh/recipes';
import { zmqRecipes } from '@/components/zmq/recipes';
import type { ClientRecipe } from './own-client';

const code = (recipes: ClientRecipe[], name: string): string => {
  const found = recipes.find((r) => r.name === name);
  if (!found) throw new Error(`no recipe named ${name}`);
  return found.code;
};
const all = (recipes: ClientRecipe[]) => recipes.map((r) => r.code).join('\n');

// A classroom LAN bind: GET /api/lab answers the address the student's browser reached the lab by.
describe("recipes name the address clients reach (GET /api/lab's host)", () => {
  it('SMTP: every recipe, IPv6 in brackets where a port follows', () => {
    const lan = smtpRecipes(2525, 'pw', 'k3xm9p', 'k3xm9p.lab.test', '192.168.1.20');
    expect(all(lan)).not.toContain('127.0.0.1');
    expect(code(lan, 'swaks')).toContain('--server 192.168.1.20:2525');
    expect(code(lan, 'curl')).toContain('smtp://192.168.1.20:2525');
    expect(code(lan, 'Python')).toContain('smtplib.SMTP("192.168.1.20", 2525)');
    expect(code(lan, 'Thunderbird')).toContain('Server name:     192.168.1.20');
    const v6 = smtpRecipes(2525, 'pw', 'student', 'lab.test', '[fd00::5]');
    expect(code(v6, 'swaks')).toContain('--server [fd00::5]:2525');
    expect(code(v6, 'curl')).toContain('smtp://[fd00::5]:2525');
    expect(code(v6, 'telnet / nc')).toContain('nc -C fd00::5 2525');
  });

  it('FTP: every recipe', () => {
    const lan = ftpRecipes(2121, 'k3xm9p', 'pw', { min: 30000, max: 30009 }, '192.168.1.20');
    expect(all(lan)).not.toContain('127.0.0.1');
    expect(code(lan, 'curl')).toContain('ftp://k3xm9p:pw@192.168.1.20:2121/');
    expect(code(lan, 'lftp')).toContain("-p 2121 192.168.1.20");
    expect(code(lan, 'Python ftplib')).toContain('connect("192.168.1.20", 2121)');
    expect(code(ftpRecipes(2121, 'u', 'pw', null, '::1'), 'curl')).toContain('ftp://u:pw@[::1]:2121/');
  });

  it("SSH: the logins and known_hosts name the lab's address; a tunnel's far end stays the server's own loopback", () => {
    const lan = sshRecipes(null, 2222, 'pw', 2525, 'k3xm9p', '192.168.1.20');
    expect(code(lan, 'OpenSSH')).toContain('ssh -p 2222 k3xm9p@192.168.1.20');
    expect(code(lan, 'sftp')).toContain('sftp -P 2222 k3xm9p@192.168.1.20');
    expect(code(lan, 'Tunnel (ssh -L)')).toContain('ssh -N -L 8025:127.0.0.1:2525 -p 2222 k3xm9p@192.168.1.20');
    expect(code(lan, 'Fingerprints')).toContain('ssh-keyscan -p 2222 192.168.1.20 | ssh-keygen -lf -');
    expect(code(lan, 'Fingerprints')).toContain('ssh-keygen -R "[192.168.1.20]:2222"');
    expect(all(lan.filter((r) => r.name !== 'Tunnel (ssh -L)'))).not.toContain('127.0.0.1');
    expect(code(sshRecipes(null, 2222, 'pw', 2525, 'student', '[fd00::5]'), 'OpenSSH')).toContain('student@fd00::5');
    expect(knownHostsNameOf('[fd00::5]', 2222)).toBe('[fd00::5]:2222');
    expect(knownHostsNameOf('10.0.0.7', 22)).toBe('10.0.0.7');
  });

  it("SOAP over mail: the SMTP server's address and the caller's mail addresses", () => {
    const lan = soapRecipes({ endpoint: 'http://192.168.1.20:8080/soap/calendar', wsdl: 'http://192.168.1.20:8080/soap/calendar?wsdl', smtpPort: 2525, web: 'http://192.168.1.20:3000', ns: 'http://lab.test/soap/calendar', host: '192.168.1.20', mail: { service: 'calendar@k3xm9p.lab.test', client: 'student@k3xm9p.lab.test' } });
    expect(all(lan)).not.toContain('127.0.0.1');
    expect(code(lan, 'swaks (mail)')).toContain('swaks --server 192.168.1.20:2525 --from student@k3xm9p.lab.test --to calendar@k3xm9p.lab.test');
    expect(code(lan, 'Python smtplib (mail)')).toContain('smtplib.SMTP("192.168.1.20", 2525)');
  });

  it('ZeroMQ: tcp:// endpoints with IPv6 in brackets, ssh with it bare', () => {
    const ports = { rep: 5555, pub: 5556, push: 5557, pull: 5558, pair: 5559, curve: 5560 };
    const v6 = zmqRecipes({ host: '[fd00::5]', ports, curveServerKey: null, ssh: { port: 2222, user: 'student', password: 'pw' } });
    expect(code(v6, 'pyzmq · REQ (the seed)')).toContain('socket.connect("tcp://[fd00::5]:5555")');
    expect(code(v6, 'ssh -L, then pyzmq')).toContain('student@fd00::5 -p 2222');
  });
});
