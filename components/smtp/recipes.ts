import type { ClientRecipe } from '@/components/lab/own-client';

/** Copy-paste commands for real SMTP clients against this lab. */
export function smtpRecipes(port: number, password: string): ClientRecipe[] {
  return [
    {
      name: 'swaks',
      code: `swaks --server 127.0.0.1:${port} --from student@lab.test --to alice@lab.test \\\n  --header "Subject: Hello from swaks" --body "Sent with swaks"\n\n# with STARTTLS and AUTH:\nswaks --server 127.0.0.1:${port} --tls --tls-verify=no --auth PLAIN \\\n  --auth-user student --auth-password '${password}' --to alice@lab.test`,
      note: 'Debian: apt-get install swaks',
    },
    {
      name: 'curl',
      code: `printf 'Subject: Hello from curl\\r\\n\\r\\nSent with curl.\\r\\n' > mail.txt\ncurl smtp://127.0.0.1:${port} --mail-from student@lab.test \\\n  --mail-rcpt alice@lab.test -T mail.txt\n\n# STARTTLS (the lab's certificate is self-signed, hence -k):\ncurl smtp://127.0.0.1:${port} --ssl-reqd -k --user 'student:${password}' \\\n  --mail-from student@lab.test --mail-rcpt alice@lab.test -T mail.txt`,
    },
    {
      name: 'Python',
      code: `import smtplib, ssl\nfrom email.message import EmailMessage\n\nmsg = EmailMessage()\nmsg["From"], msg["To"], msg["Subject"] = "student@lab.test", "alice@lab.test", "Hello from Python"\nmsg.set_content("Sent with smtplib.")\n\nwith smtplib.SMTP("127.0.0.1", ${port}) as s:\n    s.set_debuglevel(1)            # print the dialogue too\n    s.starttls(context=ssl._create_unverified_context())\n    s.login("student", "${password}")\n    s.send_message(msg)`,
    },
    {
      name: 'Thunderbird',
      code: `Outgoing server (SMTP)\n  Server name:     127.0.0.1\n  Port:            ${port}\n  Connection:      STARTTLS\n  Authentication:  Normal password\n  User name:       student\n  Password:        ${password}\n\nAccept the self-signed certificate when asked (compare its fingerprint with the one on this page).`,
    },
    {
      name: 'telnet / nc',
      code: `nc -C 127.0.0.1 ${port}      # -C sends CRLF line ends, as SMTP requires\n# wait for the 220 greeting before typing (or the server says "421 You talk too soon")\nEHLO me.example\nMAIL FROM:<student@lab.test>\nRCPT TO:<alice@lab.test>\nDATA\nSubject: by hand\n\nHello!\n.\nQUIT`,
    },
  ];
}
