/**
 * Teaching prose for every ZMTP annotation key, in English. Keys match tables.ts; the dissector adds
 * the concrete case (sizes, names, values) as an extra sentence.
 */
import type { ProseBook } from '../kit/prose.ts';

const t = (title: string, explain: string) => ({ title, explain });

export const TEXT: ProseBook = {
  'zmtp.greeting.signature': t(
    'Greeting, part 1: the signature (10 octets)',
    'Every ZMTP 2.0+ connection opens with 0xFF, eight padding octets and 0x7F. The padding is "not significant" in ZMTP 3, yet libzmq (the reference implementation) fills it with 00 00 00 00 00 00 00 01: to a ZMTP 1.0 peer, 0xFF and those eight octets read as a long frame length of 1, so an old peer sees an empty identity frame instead of garbage. The 0x7F has bit 0 set, which tells a new peer it is not a ZMTP 1.0 length. libzmq sends only these 10 octets and waits for the peer\'s 10 before going on.',
  ),
  'zmtp.greeting.major': t(
    'Greeting, part 2: the major version (1 octet)',
    'Sent only after reading the peer\'s signature: libzmq detects ZMTP 1.0 peers as well, the second strategy of the backwards-interoperability rules (the first sends signature and major version together). A 3 means ZMTP 3.x: both sides then send the rest of the greeting. A 1 or 2 would be a ZMTP 2.0 peer, which gets a ZMTP 2.0 greeting instead. This is why the 64-octet greeting crosses in three pieces (10, 1, 53), each side waiting for the other.',
  ),
  'zmtp.greeting.rest': t(
    'Greeting, part 3: minor version, mechanism, as-server, filler (53 octets)',
    'The minor version (1 for ZMTP 3.1, 0 for 3.0), the security mechanism as a 20-octet name padded with zeros (NULL, PLAIN or CURVE; both sides must name the same one), the as-server flag (which side plays server in the security handshake; always 0 for NULL, where the binding side is the server) and 31 zero octets of filler up to 64. Frames follow.',
  ),
  'zmtp.greeting.v30': t(
    'A ZMTP 3.0 peer',
    'Minor version 0: this peer speaks ZMTP 3.0, which has no SUBSCRIBE/CANCEL or PING/PONG commands. The connection runs at the lower of the two versions, so a subscriber on it subscribes with a message whose first octet is 1 (0 cancels) instead of a command.',
  ),
  'zmtp.greeting.mismatch': t(
    'The two sides name different mechanisms',
    'Both greetings must name the same security mechanism; otherwise the security handshake cannot start, and the peers close the connection.',
  ),
  'zmtp.greeting.old': t(
    'A ZMTP 1.0 peer',
    'The tenth octet has bit 0 clear: this is no signature but the length of a ZMTP 1.0 identity frame (ZMTP 1.0 had no greeting and no version). Such a peer can only use NULL security; its later framing is not decoded here.',
  ),
  'zmtp.v2.revision': t(
    'Greeting, part 2: revision 1 — a ZMTP 2.0 peer',
    'ZMTP 2.0 numbers itself revision 1 in the octet where ZMTP 3 puts its major version. Its greeting is the signature, this revision, one octet naming the socket type, and an identity frame: 12 fixed octets, then the frame. There is no mechanism and no READY: ZMTP 2.0 has no security handshake, so NULL is the only security. A ZMTP 3 peer that reads a revision below 3 answers in ZMTP 2.0 itself.',
  ),
  'zmtp.v2.socket-type': t(
    'Greeting, part 3: the socket type (ZMTP 2.0, 1 octet)',
    'ZMTP 2.0 names the socket type in one octet (0 PAIR, 1 PUB, 2 SUB, 3 REQ, 4 REP, 5 DEALER, 6 ROUTER, 7 PULL, 8 PUSH) where ZMTP 3 sends a Socket-Type property in READY. The receiving side checks the pair as ZMTP 3 does and disconnects a peer it may not talk to. The fixed octets end here; the greeting\'s last part, the identity frame, comes next.',
  ),
  'zmtp.v2.downgrade': t(
    'The socket type: a ZMTP 3 peer answering in ZMTP 2.0',
    'This side sent major version 3, then read the peer\'s revision 1: instead of the rest of a ZMTP 3 greeting (minor version, mechanism, filler) it sends its socket type in one octet, as ZMTP 2.0 does, and goes on in ZMTP 2.0 framing with no security handshake. libzmq does this for a NULL socket; a socket set up for PLAIN or CURVE must close the connection instead, because a ZMTP 2.0 peer has no security mechanism.',
  ),
  'zmtp.v2.identity': t(
    'Identity frame (ZMTP 2.0)',
    'The last part of a ZMTP 2.0 greeting, framed like a message: it names the sender to a ROUTER, the job of ZMTP 3\'s Identity property; an empty frame means "none, make one up". Every later frame carries only the MORE and LONG flags: ZMTP 2.0 has no commands, so no PING, PONG or SUBSCRIBE (a subscription is a message whose first octet is 1).',
  ),
  'zmtp.greeting.bad': t(
    'Not a ZMTP greeting',
    'A ZMTP connection must start with the octet 0xFF. These bytes are something else (another protocol, or text typed into a raw TCP client); a ZeroMQ peer closes the connection.',
  ),
  'zmtp.other.http': t(
    'An HTTP request on a ZeroMQ port',
    'curl or a browser was pointed at a ZeroMQ port. A ZMTP peer must open with the octet 0xFF; an HTTP request starts with its method in letters. The ZeroMQ peer closes the connection. curl gets the ZeroMQ greeting, 0xFF … 0x7F, where a status line belongs and says "Received HTTP/0.9 when not allowed".',
  ),
  'zmtp.other.ssh': t(
    'An SSH client on a ZeroMQ port',
    'ssh was pointed at a ZeroMQ port. An SSH client sends its version line, "SSH-2.0-…", as soon as it connects; a ZMTP peer must open with the octet 0xFF. The ZeroMQ peer closes the connection, and ssh, which got the ZeroMQ greeting where a version line belongs, gives up ("banner exchange: … invalid format").',
  ),
  'zmtp.other.tls': t(
    'A TLS ClientHello on a ZeroMQ port',
    'A TLS client (an https:// URL, openssl s_client) was pointed at a ZeroMQ port and opened with a TLS record holding its ClientHello. A ZMTP peer must open with the octet 0xFF; ZeroMQ does not use TLS (its own encryption is CURVE, agreed inside ZMTP). The ZeroMQ peer closes the connection; the TLS client reads the ZeroMQ greeting as a TLS record and fails ("wrong version number").',
  ),
  'zmtp.other.smtp': t(
    'An SMTP command on a ZeroMQ port',
    'A mail client, or EHLO typed into a raw TCP client, reached a ZeroMQ port. SMTP starts with the server\'s "220" greeting and the client\'s EHLO or HELO; a ZMTP peer sends the octet 0xFF and expects it back. The ZeroMQ peer closes the connection.',
  ),
  'zmtp.other.ftp': t(
    'An FTP command on a ZeroMQ port',
    'An FTP client\'s first command (USER, FEAT, AUTH TLS…) reached a ZeroMQ port. FTP starts with the server\'s "220" greeting; a ZMTP peer sends the octet 0xFF and expects it back. The ZeroMQ peer closes the connection.',
  ),
  'zmtp.other.smtp-or-ftp': t(
    'A mail or FTP client gave up on a ZeroMQ port',
    'A line-based client (SMTP or FTP, such as swaks) was pointed at a ZeroMQ port. It waits for the server\'s "220" greeting; the ZeroMQ peer sends its 10-octet signature, 0xFF … 0x7F, which is no such greeting, so the client gave up with a command both protocols know (QUIT).',
  ),
  'zmtp.cmd.READY': t(
    'READY — the NULL handshake, with metadata',
    'The client (the connecting side) sends READY and waits for the server\'s READY in reply; a peer may send messages once it has both sent and received one. libzmq does not wait: each side sends its READY as soon as the greeting is done, so the binding side\'s READY often crosses first on the wire. The body is a list of properties, each a name with a 1-octet length and a value with a 4-octet big-endian length. Socket-Type names the sender\'s socket (the peer checks it is a legal partner); Identity, if present, names the sender to a ROUTER. NULL means no authentication and no encryption: everything after this is readable on the wire.',
  ),
  'zmtp.cmd.READY.incompatible': t(
    'READY — incompatible socket types',
    'The two READY commands name socket types that may not talk to each other. The peer that notices it should answer with an ERROR command and disconnect; libzmq simply closes the connection, and the connecting side retries in the background, so the application sees nothing but silence.',
  ),
  'zmtp.handshake.closed': t(
    'Connection closed during the handshake',
    'The connection closed before a message could flow. The usual cause is an illegal socket pair: the side that read the other\'s READY found a Socket-Type it may not talk to and closed without an ERROR (which the specification allows) — whether or not its own READY had already left — then its socket retries in the background. To the application it looks like a request that never gets an answer.',
  ),
  'zmtp.cmd.ERROR': t(
    'ERROR — fatal handshake failure',
    'The sender refuses the handshake and closes the connection. The reason is a short text for logs, not a code. A peer must not reconnect with the same credentials.',
  ),
  'zmtp.cmd.SUBSCRIBE': t(
    'SUBSCRIBE — a topic prefix (ZMTP 3.1 command)',
    'Filtering happens at the publisher: a subscriber tells it which prefixes it wants, and the publisher sends only matching messages over this connection. An empty subscription matches everything. Subscriptions count: subscribing twice needs two CANCELs.',
  ),
  'zmtp.cmd.CANCEL': t(
    'CANCEL — drop a subscription (ZMTP 3.1 command)',
    'Undoes one SUBSCRIBE with the same prefix; the publisher stops sending matching messages once no subscription covers them.',
  ),
  'zmtp.cmd.PING': t(
    'PING — heartbeat',
    'Asks the peer for a PONG. The TTL (in tenths of a second) tells the peer how long to wait for more traffic before it may consider the connection dead; the context (up to 16 octets) comes back in the PONG. Heartbeats detect dead peers that TCP itself would not report for a long time.',
  ),
  'zmtp.cmd.PONG': t(
    'PONG — heartbeat answer',
    'Echoes the PING\'s context. Any incoming traffic counts as a sign of life, not only PONG.',
  ),
  'zmtp.heartbeat.missed': t(
    'The peer missed its heartbeats',
    'One side sent PING and nothing came back: no PONG, and no other frame, which would count as a sign of life just as well. A peer that sends PING may close the connection when no traffic follows within its time-out, and libzmq does: the close that follows is the heartbeat giving up on a peer that stopped answering (a process that hangs or was stopped, a network path that went dead), not an error in the traffic. Its socket reconnects as usual if it can.',
  ),
  'zmtp.cmd.unknown': t(
    'A command this view does not know',
    'Security mechanisms and later versions may define their own commands; this view names those of ZMTP 3.0 and 3.1 and of the NULL, PLAIN and CURVE mechanisms.',
  ),
  'zmtp.plain.HELLO': t(
    'PLAIN HELLO — user name and password in clear',
    'The client sends its user name and password, each with a 1-octet length, as plain text. Anyone who can see the wire reads them here, exactly like FTP\'s PASS. PLAIN is for trusted internal networks, or inside an encrypted tunnel (SSH, VPN); CURVE encrypts instead.',
  ),
  'zmtp.plain.WELCOME': t(
    'PLAIN WELCOME — credentials accepted',
    'An empty command: the server accepted the user name and password. Otherwise it would have sent ERROR or closed the connection.',
  ),
  'zmtp.plain.INITIATE': t(
    'PLAIN INITIATE — client metadata',
    'The client\'s properties (Socket-Type, Identity…), in the same encoding as a NULL READY.',
  ),
  'zmtp.plain.READY': t(
    'PLAIN READY — server metadata',
    'The server\'s properties; after it, messages may flow, still in clear.',
  ),
  'zmtp.curve.HELLO': t(
    'CURVE HELLO (200 octets)',
    'The client\'s short-term public key C′ in clear, a short nonce, and a box that only the server\'s long-term secret key can open: 64 zero octets, which prove the client knows the server\'s public key S. Before them come 72 zero octets of anti-amplification padding (the ABNF and libzmq say 72; the specification\'s prose says 70), so a HELLO is bigger than the WELCOME it provokes and a spoofed source address gains an attacker nothing.',
  ),
  'zmtp.curve.WELCOME': t(
    'CURVE WELCOME (168 octets)',
    'A 16-octet nonce and a box from the server\'s long-term key S to the client\'s short-term key C′ holding the server\'s short-term public key S′ and a cookie. The cookie is the server\'s only memory of its short-term secret key, encrypted under a key only the server knows, so the server keeps no state until INITIATE.',
  ),
  'zmtp.curve.INITIATE': t(
    'CURVE INITIATE',
    'The cookie sent back, a short nonce and a box between the two short-term keys C′ and S′ holding the client\'s long-term public key C, the vouch (a box from C to S′ proving C owns C′) and the client\'s metadata. Only the short-term secret keys open it, and they never leave the two processes and are discarded when the connection closes: even the server\'s long-term secret key cannot open it later (forward secrecy).',
  ),
  'zmtp.curve.READY': t(
    'CURVE READY',
    'The server\'s metadata in a box between the short-term keys S′ and C′: the handshake is done. Only the two peers can open it.',
  ),
  'zmtp.curve.MESSAGE': t(
    'CURVE MESSAGE — encrypted frame',
    'Each message frame travels as a box between the short-term keys, with an incrementing short nonce. An eavesdropper sees only the size and the nonce; nobody holding only long-term keys can decrypt it afterwards. libzmq boxes its ZMTP 3.1 commands the same way, marked as commands only by a flag inside the box: the heartbeats (PING and PONG) are MESSAGE boxes too, so the wire view cannot show them, nor that a peer stopped answering them. libzmq reports a peer it dropped for missing them as a plain disconnect, like any other close, so a CURVE connection that ends this way gets no note naming the cause.',
  ),
  'zmtp.curve.malformed': t(
    'Malformed CURVE command',
    'Its size differs from the one the CurveZMQ grammar fixes; the receiving peer closes the connection.',
  ),
  'zmtp.frame.part': t(
    'Message frame with MORE — more frames follow',
    'A ZeroMQ message may have several frames; the MORE flag marks every frame but the last. The whole message is delivered atomically: all frames or none.',
  ),
  'zmtp.frame.message': t(
    'Message frame, the last one (MORE clear)',
    'Application data in clear (NULL or PLAIN): anyone on the path reads it. The size is one octet up to 255 octets, eight (the LONG flag) beyond.',
  ),
  'zmtp.frame.delimiter': t(
    'Empty delimiter frame — the request-reply envelope',
    'A REQ socket puts an empty frame before the request; a ROUTER on the way pushes the sender\'s identity in front of it, and the REP socket strips everything up to and including the empty frame, keeping it as the reply\'s address. The reply goes back with the same envelope, so it finds its way through any number of ROUTER/DEALER hops.',
  ),
  'zmtp.frame.no-delimiter': t(
    'No empty delimiter: the REQ or REP socket receiving this drops the whole message',
    'Request-reply messages carry an envelope: an empty delimiter frame, then the data frames. A REQ socket takes a reply only if its first frame is that delimiter; a REP socket needs one before the data to know where the address ends. Without it, libzmq discards the message and tells neither side: a REQ client goes on waiting for its reply. A DEALER or ROUTER would have passed it on as it is.',
  ),
  'zmtp.frame.subscribe-30': t(
    'A subscription sent as a message (ZMTP 3.0 style)',
    'On a ZMTP 3.0 connection a subscriber subscribes with a one-frame message whose first octet is 1, followed by the prefix. ZMTP 3.1 has a SUBSCRIBE command for this; libzmq picks the form per peer from the greeting\'s minor version, so the same application call gives different bytes on different connections.',
  ),
  'zmtp.frame.cancel-30': t(
    'A cancelled subscription sent as a message (ZMTP 3.0 style)',
    'A one-frame message whose first octet is 0 followed by the prefix; ZMTP 3.1 has a CANCEL command for this.',
  ),
  'zmtp.frame.bad-flags': t(
    'Invalid frame flags',
    'Bits 7–3 of the flags octet must be zero, and a command may not have MORE set. The stream is out of step (or is not ZMTP); a ZeroMQ peer closes the connection. The rest of this direction is not decoded.',
  ),
  'zmtp.frame.too-long': t(
    'Impossible frame size',
    'The 8-octet size field is larger than any real frame; the stream is out of step. The rest of this direction is not decoded.',
  ),
  'zmtp.undecoded': t('Bytes not decoded', 'They follow a framing error or an older protocol version, so the frame boundaries are unknown.'),
  'zmtp.frame.over-limit': t(
    'A message over the server\'s size limit: the connection is dropped',
    'The frame header announces more octets than the receiving socket accepts (libzmq\'s ZMQ_MAXMSGSIZE). libzmq checks the size as soon as it has read the header and closes the connection instead of reading the body: the application never sees the message, and the sender is not told why (ZMTP has no error reply for it).',
  ),
  'zmtp.truncated': t('Connection closed in the middle of a frame', 'The last frame (or greeting) in this direction is incomplete: the peer closed or the connection broke.'),
};
