import type { ClientRecipe } from '@/components/lab/own-client';

/** Where the recipes point: the Orders endpoint on the SOAP lab's service host (GET /api/lab → policy). */
export interface PolicyRecipeTargets {
  /** `http://127.0.0.1:8080/soap/orders` */
  endpoint: string;
  /** `http://127.0.0.1:8080/soap/orders?wsdl` */
  wsdl: string;
}

export const MEX_ACTION = 'http://schemas.xmlsoap.org/ws/2004/09/mex/GetMetadata/Request';

/** A WS-MEX GetMetadata request: SOAP 1.2 with the WS-Addressing headers it needs (WS-MetadataExchange 2004/09 §6). */
export function getMetadataEnvelope(endpoint: string, messageId = 'urn:uuid:6b1f4a52-0c3e-4d7a-9e1b-2f5c8d9a0b11'): string {
  return `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"
            xmlns:wsa="http://www.w3.org/2005/08/addressing"
            xmlns:mex="http://schemas.xmlsoap.org/ws/2004/09/mex">
  <s:Header>
    <wsa:Action s:mustUnderstand="true">${MEX_ACTION}</wsa:Action>
    <wsa:MessageID>${messageId}</wsa:MessageID>
    <wsa:To s:mustUnderstand="true">${endpoint}</wsa:To>
  </s:Header>
  <s:Body>
    <mex:GetMetadata>
      <mex:Dialect>http://schemas.xmlsoap.org/wsdl/</mex:Dialect>
    </mex:GetMetadata>
  </s:Body>
</s:Envelope>`;
}

/**
 * Copy-paste clients for the WS-Policy lab: the policy by WS-MEX GetMetadata and by GET ?wsdl with curl,
 * Python zeep with and without its WS-Addressing plugin, SoapUI. Pure data:
 * tests/integration/own-client-recipes-policy.test.ts runs the curl and zeep ones against the real provider.
 */
export function policyRecipes(t: PolicyRecipeTargets): ClientRecipe[] {
  return [
    {
      name: 'curl · GetMetadata (WS-MEX)',
      code: `curl -s ${t.endpoint} \\
  -H 'Content-Type: application/soap+xml; charset=utf-8; action="${MEX_ACTION}"' \\
  --data-binary @- <<'EOF'
${getMetadataEnvelope(t.endpoint)}
EOF`,
      note:
        'The answer is a SOAP envelope: wsa:RelatesTo names your MessageID, and mex:Metadata/mex:MetadataSection (Dialect = WSDL) holds the whole WSDL with its policies inline. ' +
        'Because the request is a SOAP message, it can be signed and encrypted with WS-Security like any other, which a plain GET cannot. ' +
        'What MEX cannot do for the seed’s client: a multi-part WSDL (one that wsdl:imports other documents). Here the answer is one MetadataSection with the one document inline; the imported parts would be further sections or mex:Location references to fetch, which that client does not follow, so for a multi-part WSDL it uses GET.',
    },
    {
      name: 'curl · GET ?wsdl',
      code: `curl -s '${t.wsdl}'`,
      note: 'The same WSDL by plain HTTP: every wsp:Policy, wsp:PolicyReference and wsu:Id is in it. Compare with what the page highlights on the Provider tab.',
    },
    {
      name: 'Python zeep + WS-Addressing',
      code: `# Debian: apt-get install python3-zeep   (or pip install zeep)
from zeep import Client, Plugin
from zeep.exceptions import Fault
from zeep.wsa import WsAddressingPlugin  # noqa: F401 (see the note)

WSDL = "${t.wsdl}"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"

class StripAddressing(Plugin):
    """Removes the wsa:* headers: a client that ignores the provider's policy."""
    def egress(self, envelope, http_headers, operation, binding_options):
        for header in envelope.findall(f"{{{SOAP12}}}Header/{{{WSA}}}*"):
            header.getparent().remove(header)
        return envelope, http_headers

def place(client, label):
    try:
        print(label, "→", dict(client.service.placeOrder(item="widget", quantity=2).__values__))
    except Fault as fault:
        print(label, "→ fault", fault.code, [q.localname for q in fault.subcodes or []], fault.message)

# 1. Without WS-Addressing: the policy at wsdl:port requires it.
place(Client(WSDL, plugins=[StripAddressing()]), "without WS-Addressing")

# 2. zeep applies its WsAddressingPlugin by itself here: the WSDL's messages carry wsam:Action.
place(Client(WSDL), "with WS-Addressing")`,
      note:
        'zeep does not read WS-Policy; it adds wsa:Action, wsa:MessageID and wsa:To because the portType messages declare wsam:Action (for a WSDL without them, pass plugins=[WsAddressingPlugin()]; here that would send every header twice, and the provider answers a repeated header with wsa:InvalidAddressingHeader / InvalidCardinality). ' +
        'Without those headers the provider answers wsa:MessageAddressingHeaderRequired. With them, Addressing is satisfied, but zeep has no WS-ReliableMessaging: while the provider offers RM (the default) ' +
        'the answer is wsrm:WSRMRequired (or the service’s SequenceRequired with RM 1.0 only). Set the provider’s RM to “none” on the Call tab and the second call succeeds.',
    },
    {
      name: 'SoapUI',
      code: `1. File → New SOAP Project
2. Initial WSDL: ${t.wsdl}
3. Open OrdersSoap12Binding → placeOrder → Request 1, fill item and quantity
4. In the request window: WS-A tab → check "Enable WS-A addressing", "Add default wsa:Action", "Add default wsa:To"
   and "Randomly generate MessageId"
5. Send (the green arrow)`,
      note:
        'SoapUI builds requests from the WSDL’s types and binding but does not apply its WS-Policy either: without step 4 you get MessageAddressingHeaderRequired. ' +
        'Its WS-RM tab can open an RM 1.0 or 1.1 sequence for you. Your requests appear in the SOAP lab’s HTTP tab (pick them from the connection menu).',
    },
  ];
}
