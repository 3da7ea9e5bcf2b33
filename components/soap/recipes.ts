import { bareHost, DEFAULT_HOST, hostPort } from '@/components/lab/address';
import type { ClientRecipe } from '@/components/lab/own-client';

/** Where the recipes point: the lab's real ports and URLs. */
export interface RecipeTargets {
  /** http://127.0.0.1:8080/soap/calendar */
  endpoint: string;
  /** …?wsdl */
  wsdl: string;
  smtpPort: number;
  /** The address clients reach the lab's SMTP server by (GET /api/lab's host); 127.0.0.1 by default. */
  host?: string;
  /** The calendar's and its answers' mail addresses (GET /api/lab → soap.mail); calendar@ and student@lab.test by default. */
  mail?: { service: string; client: string };
  /** The web app (for the mailbox API), e.g. http://127.0.0.1:3000 */
  web: string;
  /** The service's target namespace. */
  ns: string;
}

const ENV_11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const ENV_12 = 'http://www.w3.org/2003/05/soap-envelope';

const envelope = (envNs: string, ns: string) => `<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="${envNs}" xmlns:cal="${ns}">
  <soap:Body>
    <cal:getMonth><cal:year>2003</cal:year><cal:month>1</cal:month></cal:getMonth>
  </soap:Body>
</soap:Envelope>`;

/** The names of the recipes that speak the mail binding (a page may leave them out). */
export const MAIL_RECIPES = { swaks: 'swaks (mail)', python: 'Python smtplib (mail)' } as const;

/** Copy-paste recipes for real SOAP clients (HTTP) and real mail clients (the SMTP binding). */
export function soapRecipes(t: RecipeTargets): ClientRecipe[] {
  const action = `${t.ns}/getMonth`;
  const host = t.host ?? DEFAULT_HOST;
  const { service, client } = t.mail ?? { service: 'calendar@lab.test', client: 'student@lab.test' };
  return [
    {
      name: 'curl · SOAP 1.1',
      code: `cat > getMonth11.xml <<'EOF'\n${envelope(ENV_11, t.ns)}\nEOF\n\n# SOAP 1.1: text/xml, and the operation in the SOAPAction header (quoted)\ncurl -sS -i ${t.endpoint} \\\n  -H 'Content-Type: text/xml; charset=utf-8' \\\n  -H 'SOAPAction: "${action}"' \\\n  --data-binary @getMonth11.xml`,
      note: '--data-binary keeps the file byte for byte (plain -d would strip the line breaks). Change the month to 13 to get a Client fault with HTTP 500.',
    },
    {
      name: 'curl · SOAP 1.2',
      code: `cat > getMonth12.xml <<'EOF'\n${envelope(ENV_12, t.ns)}\nEOF\n\n# SOAP 1.2: application/soap+xml, the operation in its action parameter; no SOAPAction header\ncurl -sS -i ${t.endpoint} \\\n  -H 'Content-Type: application/soap+xml; charset=utf-8; action="${action}"' \\\n  --data-binary @getMonth12.xml`,
      note: 'A 1.2 Sender fault (month 13) comes back with HTTP 400; a 1.1 envelope sent this way gets VersionMismatch.',
    },
    {
      name: 'Python urllib',
      code: `import urllib.request, urllib.error
import xml.etree.ElementTree as ET

envelope = """${envelope(ENV_12, t.ns)}"""

request = urllib.request.Request(
    "${t.endpoint}",
    data=envelope.encode("utf-8"),
    method="POST",
    headers={"Content-Type": 'application/soap+xml; charset=utf-8; action="${action}"'},
)
try:
    with urllib.request.urlopen(request) as response:
        body = response.read()
        print(response.status, response.headers["Content-Type"])
        print(ET.fromstring(body).find(".//{${t.ns}}calendar").text)
except urllib.error.HTTPError as fault:  # SOAP faults arrive as HTTP 400 / 500
    print(fault.code, fault.read().decode())`,
    },
    {
      name: 'SoapUI / Postman',
      code: `WSDL URL:  ${t.wsdl}

SoapUI:   File → New SOAP Project → Initial WSDL: the URL above.
          It creates requests for both bindings (CalendarSoap11Binding, CalendarSoap12Binding);
          open getMonth → Request 1, fill in year and month, press ▶.

Postman:  Import → Link → paste the URL above (or File → the saved .wsdl).
          Postman makes a collection with one request per operation and binding.
          Check the Headers tab: SOAPAction for 1.1, action=… in Content-Type for 1.2.

Python:   pip install zeep
          python -m zeep ${t.wsdl}        # prints the operations and types
          >>> from zeep import Client
          >>> print(Client("${t.wsdl}").service.getMonth(2003, 1))`,
      note: 'Every request such a tool sends goes through the lab’s tap: it shows up in the HTTP tab’s connection list, dissected.',
    },
    {
      name: MAIL_RECIPES.swaks,
      code: `cat > mail-request.xml <<'EOF'\n${envelope(ENV_12, t.ns)}\nEOF\n\n# The SOAP 1.2 Email Binding: the envelope is the body; Message-ID is the correlation key.\nswaks --server ${hostPort(host, t.smtpPort)} --from ${client} --to ${service} \\\n  --header 'Subject: getMonth 2003-1' \\\n  --header 'Message-Id: <my-request-1@lab.test>' \\\n  --header 'MIME-Version: 1.0' \\\n  --header 'Content-Type: application/soap+xml; charset=utf-8; action="${action}"' \\\n  --body @mail-request.xml`,
      note: `The answer is mailed to ${client} with In-Reply-To: <my-request-1@lab.test>. See it in the SMTP lab’s mailbox; this page lists it as an answer that matched none of its own requests. Use a new Message-ID for every request.`,
    },
    {
      name: MAIL_RECIPES.python,
      code: `import json, smtplib, time, urllib.request
from email.utils import formatdate, make_msgid

envelope = """${envelope(ENV_12, t.ns)}
"""
msg_id = make_msgid(domain="lab.test")          # the correlation key
mail = (
    "From: ${client}\\r\\n"
    "To: ${service}\\r\\n"
    "Subject: getMonth 2003-1\\r\\n"
    f"Date: {formatdate()}\\r\\n"
    f"Message-ID: {msg_id}\\r\\n"
    "MIME-Version: 1.0\\r\\n"
    'Content-Type: application/soap+xml; charset=utf-8; action="${action}"\\r\\n'
    "\\r\\n" + envelope.replace("\\n", "\\r\\n")
)
with smtplib.SMTP("${bareHost(host)}", ${t.smtpPort}) as smtp:
    smtp.sendmail("${client}", ["${service}"], mail)
print("sent", msg_id)

# The answer comes to ${client} with In-Reply-To = msg_id.
# (A real client reads its inbox; here we ask the lab's mailbox API.)
for _ in range(20):
    box = json.load(urllib.request.urlopen("${t.web}/api/mailbox"))
    answer = next((m for m in box["messages"] if m["inReplyTo"] == msg_id), None)
    if answer:
        print(urllib.request.urlopen(f"${t.web}/api/mailbox/{answer['id']}/raw").read().decode())
        break
    time.sleep(0.5)`,
    },
  ];
}
