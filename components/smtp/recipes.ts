import type { ClientRecipe } from '@/components/lab/own-client';

/**
 * Copy-paste commands for real SMTP clients against this lab, with the caller's sandbox login and
 * mail domain from GET /api/lab (`lab.test` and the lab's own user in the machine's own sandbox).
 */
export function smtpRecipes(port: number, password: string, user = 'student', mailDomain = 'lab.test'): ClientRecipe[] {
  return [
    {
      name: 'swaks',
      code: `swaks --server 127.0.0.1:${port} --from student@${mailDomain} --to alice@${mailDomain} \\\n  --header "Subject: Hello from swaks" --body "Sent with swaks"\n\n# with STARTTLS and AUTH:\nswaks --server 127.0.0.1:${port} --tls --tls-verify=no --auth PLAIN \\\n  --auth-user ${user} --auth-password '${password}' --to alice@${mailDomain}`,
      note: 'Debian: apt-get install swaks',
    },
    {
      name: 'curl',
      code: `printf 'Subject: Hello from curl\\r\\n\\r\\nSent with curl.\\r\\n' > mail.txt\ncurl smtp://127.0.0.1:${port} --mail-from student@${mailDomain} \\\n  --mail-rcpt alice@${mailDomain} -T mail.txt\n\n# STARTTLS (the lab's certificate is self-signed, hence -k):\ncurl smtp://127.0.0.1:${port} --ssl-reqd -k --user '${user}:${password}' \\\n  --mail-from student@${mailDomain} --mail-rcpt alice@${mailDomain} -T mail.txt`,
    },
    {
      name: 'Python',
      code: `import smtplib, ssl\nfrom email.message import EmailMessage\n\nmsg = EmailMessage()\nmsg["From"], msg["To"], msg["Subject"] = "student@${mailDomain}", "alice@${mailDomain}", "Hello from Python"\nmsg.set_content("Sent with smtplib.")\n\nwith smtplib.SMTP("127.0.0.1", ${port}) as s:\n    s.set_debuglevel(1)            # print the dialogue too\n    s.starttls(context=ssl._create_unverified_context())\n    s.login("${user}", "${password}")\n    s.send_message(msg)`,
    },
    {
      name: 'Thunderbird',
      code: `Outgoing server (SMTP)\n  Server name:     127.0.0.1\n  Port:            ${port}\n  Connection:      STARTTLS\n  Authentication:  Normal password\n  User name:       ${user}\n  Password:        ${password}\n\nAccept the self-signed certificate when asked (compare its fingerprint with the one on this page).`,
    },
    {
      name: 'telnet / nc',
      code: `nc -C 127.0.0.1 ${port}      # -C sends CRLF line ends, as SMTP requires\n# wait for the 220 greeting before typing (or the server says "421 You talk too soon")\nEHLO me.example\nMAIL FROM:<student@${mailDomain}>\nRCPT TO:<alice@${mailDomain}>\nDATA\nSubject: by hand\n\nHello!\n.\nQUIT`,
    },
  ];
}
