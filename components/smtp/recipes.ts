import { bareHost, DEFAULT_HOST, hostPort } from '@/components/lab/address';
import { certificateCheck } from '@/components/lab/certificate-check';
import type { ClientRecipe } from '@/components/lab/own-client';

/**
 * Copy-paste commands for real SMTP clients against this lab, with the caller's sandbox login and
 * mail domain from GET /api/lab (`lab.test` and the lab's own user in the machine's own sandbox), on
 * the address clients reach the lab by (`host`).
 */
export function smtpRecipes(port: number, password: string, user = 'student', mailDomain = 'lab.test', host = DEFAULT_HOST, fingerprint?: string): ClientRecipe[] {
  const server = hostPort(host, port);
  const name = bareHost(host);
  return [
    {
      name: 'swaks',
      code: `swaks --server ${server} --from student@${mailDomain} --to alice@${mailDomain} \\\n  --header "Subject: Hello from swaks" --body "Sent with swaks"\n\n# with STARTTLS and AUTH:\nswaks --server ${server} --tls --auth PLAIN \\\n  --auth-user ${user} --auth-password '${password}' --to alice@${mailDomain}`,
      note: 'Debian: apt-get install swaks',
    },
    {
      name: 'curl',
      code: `printf 'Subject: Hello from curl\\r\\n\\r\\nSent with curl.\\r\\n' > mail.txt\ncurl smtp://${server} --mail-from student@${mailDomain} \\\n  --mail-rcpt alice@${mailDomain} -T mail.txt\n\n# STARTTLS (the lab's certificate is self-signed, hence -k):\ncurl smtp://${server} --ssl-reqd -k --user '${user}:${password}' \\\n  --mail-from student@${mailDomain} --mail-rcpt alice@${mailDomain} -T mail.txt`,
    },
    {
      name: 'Python',
      code: `import smtplib, ssl\nfrom email.message import EmailMessage\n\nmsg = EmailMessage()\nmsg["From"], msg["To"], msg["Subject"] = "student@${mailDomain}", "alice@${mailDomain}", "Hello from Python"\nmsg.set_content("Sent with smtplib.")\n\nwith smtplib.SMTP("${name}", ${port}) as s:\n    s.set_debuglevel(1)            # print the dialogue too\n    s.starttls(context=ssl._create_unverified_context())\n    s.login("${user}", "${password}")\n    s.send_message(msg)`,
    },
    {
      name: 'Thunderbird',
      code: `Outgoing server (SMTP)\n  Server name:     ${name}\n  Port:            ${port}\n  Connection:      STARTTLS\n  Authentication:  Normal password\n  User name:       ${user}\n  Password:        ${password}\n\n${certificateCheck(fingerprint)}\n\nThe fingerprint as the server sends it:\n  openssl s_client -starttls smtp -connect ${server} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256`,
    },
    {
      name: 'telnet / nc',
      code: `nc -C ${name} ${port}      # -C sends CRLF line ends, as SMTP requires\n# wait for the 220 greeting before typing (or the server says "421 You talk too soon")\nEHLO me.example\nMAIL FROM:<student@${mailDomain}>\nRCPT TO:<alice@${mailDomain}>\nDATA\nSubject: by hand\n\nHello!\n.\nQUIT`,
    },
  ];
}
