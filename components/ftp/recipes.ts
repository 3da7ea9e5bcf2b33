import { bareHost, DEFAULT_HOST, hostPort } from '@/components/lab/address';
import { certificateCheck } from '@/components/lab/certificate-check';
import type { ClientRecipe } from '@/components/lab/own-client';

/** Copy-paste commands for real FTP/FTPS clients against this lab (address, ports and password are the real ones). */
export function ftpRecipes(port: number, user: string, password: string, passive: { min: number; max: number } | null, host = DEFAULT_HOST, fingerprint?: string): ClientRecipe[] {
  const server = hostPort(host, port);
  const name = bareHost(host);
  const range = passive ? `${passive.min}–${passive.max}` : '30000–30009';
  return [
    {
      name: 'curl',
      code: `# list the directory (passive mode, plain FTP: USER/PASS cross in clear)\ncurl ftp://${user}:${password}@${server}/\n\n# upload and download\ncurl -T notes.txt ftp://${user}:${password}@${server}/\ncurl ftp://${user}:${password}@${server}/notes.txt\n\n# FTPS (explicit: AUTH TLS, then PBSZ 0 / PROT P); -k because the lab's certificate is self-signed\ncurl --ssl-reqd -k ftp://${user}:${password}@${server}/\n\n# active mode: curl listens, the server connects back (try it with the firewall toggle on)\ncurl -P - ftp://${user}:${password}@${server}/`,
      note: 'Add -v to see every command and reply curl sends.',
    },
    {
      name: 'lftp',
      code: `lftp -u ${user},'${password}' -p ${port} ${name}\n# inside lftp:\nset ftp:ssl-allow no        # plain FTP (lftp tries AUTH TLS by default)\nls\nput notes.txt\n\n# FTPS, passive, self-signed certificate:\nlftp -e 'set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no; ls; bye' \\\n  -u ${user},'${password}' -p ${port} ${name}\n\n# active mode:\nset ftp:passive-mode off`,
      note: 'Debian: apt-get install lftp. `debug 3` inside lftp prints the dialogue.',
    },
    {
      name: 'Python ftplib',
      code: `from ftplib import FTP, FTP_TLS\nimport ssl\n\n# plain FTP\nftp = FTP()\nftp.set_debuglevel(1)                 # print every command and reply\nftp.connect("${name}", ${port})\nftp.login("${user}", "${password}")\nftp.retrlines("LIST")\nftp.set_pasv(False)                   # active mode: the server connects back (PORT)\nftp.retrlines("LIST")\nftp.quit()\n\n# FTPS (explicit)\nctx = ssl._create_unverified_context()  # the lab's certificate is self-signed\nftps = FTP_TLS(context=ctx)\nftps.connect("${name}", ${port})\nftps.login("${user}", "${password}")   # sends AUTH TLS first\nftps.prot_p()                          # PBSZ 0 + PROT P: encrypt the data channel\nftps.retrlines("LIST")\nftps.quit()`,
    },
    {
      name: 'FileZilla',
      code: `Site Manager → New site\n  Protocol:    FTP - File Transfer Protocol\n  Host:        ${name}      Port: ${port}\n  Encryption:  Require explicit FTP over TLS   (or "Only use plain FTP" to compare)\n  Logon Type:  Normal\n  User:        ${user}\n  Password:    ${password}\nTransfer Settings → Transfer mode: Passive\n\n${certificateCheck(fingerprint)}\nPassive data ports: ${range}.`,
      note: 'Switch Transfer mode to Active and turn on the client firewall toggle to see the 425.',
    },
    {
      name: 'telnet / nc',
      code: `nc -C ${name} ${port}     # -C sends CRLF line ends\nUSER ${user}\nPASS ${password}\nPASV\n# 227 … (h1,h2,h3,h4,p1,p2): open a second terminal and connect to port p1×256+p2:\n#   nc ${name} <port>\nLIST\nQUIT`,
      note: 'A raw control connection cannot move data by itself: that is why FTP needs a second connection.',
    },
  ];
}
