/**
 * All English words of the SMTP lab, keyed by annotation key. The tables (commands.ts, replies.ts,
 * extensions.ts, enhanced-codes.ts) hold facts; this file holds prose and the message-text templates,
 * so another language is one more file (text.xx.ts) implementing SmtpText.
 */
import { counted, groupDigits } from '../../text/numbers.ts';
import type { TlsGuess, TlsRecord } from '../../wire/tls-records.ts';

import type { Prose } from '../kit/prose.ts';

export type { Prose };

/** Templates for message texts the dissector composes (summaries, TLS records…). */
export interface SmtpFormats {
  dataSummary(lines: number, bytes: number): string;
  overlong(preview: string, bytes: number): string;
  overlongMore(bytes: number, total: number, ended: boolean): string;
  moreLines(count: number): string;
  tlsStart: string;
  /** One record as an eavesdropper sees it, with what its position suggests (may be empty). */
  tlsRecord(record: TlsRecord, likely?: string): string;
  /** What a TLS 1.3 record most likely carries, in words. */
  tlsGuess(guess: TlsGuess): string;
  tlsGarbage(bytes: number, preview: string): string;
  /** A TLS record where a command belongs: `bytes` arrived of the `total` its header gives (null: header cut short). */
  tlsAsCommand(hello: boolean, bytes: number, total: number | null): string;
  extensionNote(title: string, kind: 'size' | 'mechanisms' | 'list' | undefined, params: string): string;
  missing(key: string): Prose;
}

/** One language of the lab: prose by key plus formats. */
export interface SmtpText {
  prose: Readonly<Record<string, Prose>>;
  format: SmtpFormats;
}

const p = (title: string, explain: string): Prose => ({ title, explain });
const num = groupDigits;

const RELAY =
  'The server refuses to pass mail for this recipient on to another domain for you. Accepting mail from anyone to anywhere is an "open relay", which spammers abuse to hide where mail comes from; servers relay only for local recipients or for authenticated users (RFC 5321 §7.9). A server has to check every RCPT itself; this lab delivers only to its own domains (lab.test, localhost, and <id>.lab.test for each student sandbox).';
const EXPN_OFF =
  'This server does not expand lists. Many servers switch EXPN off because expanding a list hands its members\' addresses to spammers (RFC 5321 §3.5.2, §7.3); this lab keeps it on so you can see it work.';

const PROSE: Record<string, Prose> = {
  // Commands (RFC 5321 §4.1.1; STARTTLS RFC 3207; AUTH RFC 4954)
  'smtp.cmd.HELO': p('HELO: "hello, I am <domain>"', 'The original greeting. The client names itself; the server answers 250 but lists no extensions (RFC 5321 §4.1.1.1).'),
  'smtp.cmd.EHLO': p('EHLO: extended hello', 'The client names itself and asks which service extensions the server supports. The multi-line 250 reply lists them, one keyword per line (RFC 5321 §4.1.1.1). After STARTTLS the client should say EHLO again (RFC 3207 §4.2): the session starts over, so the old extension list no longer counts.'),
  'smtp.cmd.MAIL': p('MAIL FROM: start a mail transaction', 'Gives the reverse-path: where bounces go. It is the envelope sender, not the From: header a reader sees, and SMTP itself does not verify it (RFC 5321 §4.1.1.2); a receiver may check its domain with SPF. ESMTP parameters such as SIZE= or BODY= may follow.'),
  'smtp.cmd.RCPT': p('RCPT TO: add a recipient', 'Gives one forward-path; repeat for each recipient (at least 100 must be accepted, RFC 5321 §4.5.3.1.8). The server decides here whether it accepts mail for this address, which is where relay policy is enforced (RFC 5321 §4.1.1.3).'),
  'smtp.cmd.DATA': p('DATA: send the message', 'Asks to send the message content. The server answers 354; the client then sends the header and body and ends with a line holding only "." (RFC 5321 §4.1.1.4).'),
  'smtp.cmd.RSET': p('RSET: abort the transaction', 'Discards the sender, recipients and data given so far; the connection stays open (RFC 5321 §4.1.1.5).'),
  'smtp.cmd.VRFY': p('VRFY: verify an address', 'Asks whether a mailbox exists and whose it is. This lab answers honestly: 250 with the name and address, 550 for an unknown one. Many public servers refuse to confirm addresses, because that helps spammers harvest them, and answer 252 ("cannot verify, but will try to deliver") instead (RFC 5321 §3.5.2, §3.5.3, §7.3).'),
  'smtp.cmd.EXPN': p('EXPN: expand a mailing list', 'Asks for the members of a mailing list. This lab expands its demo list "class" with a 250 line per member; many servers disable EXPN because it leaks addresses (RFC 5321 §3.5.2, §7.3).'),
  'smtp.cmd.HELP': p('HELP', 'Asks for human-readable help; the answer is usually 214, and 211 is allowed too (RFC 5321 §4.1.1.8, §4.3.2).'),
  'smtp.cmd.NOOP': p('NOOP: do nothing', 'Changes nothing; the server answers 250. Useful to keep a connection alive or test it (RFC 5321 §4.1.1.9).'),
  'smtp.cmd.QUIT': p('QUIT: close the session', 'The server answers 221 and closes the connection (RFC 5321 §4.1.1.10). (221, not 211: 211 is a system status reply.)'),
  'smtp.cmd.STARTTLS': p('STARTTLS: switch this connection to TLS', 'After the server\'s 220, both sides run a TLS handshake on the same TCP connection; everything after it is encrypted. Both sides then forget what was said before, so the client sends EHLO again (RFC 3207 §4).'),
  'smtp.cmd.AUTH': p('AUTH: authenticate', 'Starts a SASL exchange with the named mechanism, optionally with an initial response; challenges come as 334 lines, success is 235 (RFC 4954 §4).'),
  'smtp.cmd.BDAT': p('BDAT: send a chunk of the message (RFC 3030 CHUNKING)', 'The alternative to DATA that the CHUNKING extension adds: "BDAT <size> [LAST]" is followed at once by exactly that many octets of the message, with no dot-stuffing and no final "."; LAST marks the last chunk, and the server answers 250 to each chunk (RFC 3030 §2, §4.1). A client may send it only when the EHLO reply lists CHUNKING.'),
  'smtp.cmd.unknown': p('Unknown command', 'Not a command this server is expected to know. Servers answer 500 for an unrecognised verb, or 502 if they recognise it but do not implement it (RFC 5321 §4.2.4).'),
  // Replies (RFC 5321 §4.2.3)
  'smtp.reply.200': p('200 is not an SMTP reply code', 'SMTP success is 250; 200 ("command okay") is an FTP reply (RFC 959 §4.2.2). A client that meets an unknown code acts on its first digit: 2 means success (RFC 5321 §4.2.1).'),
  'smtp.reply.211': p('211 System status or system help reply', 'A status report (RFC 5321 §4.2.3). It is not the answer to QUIT: that is 221.'),
  'smtp.reply.214': p('214 Help message', 'Help text for a human (RFC 5321 §4.2.3, §4.1.1.8).'),
  'smtp.reply.220': p('220 Service ready', 'The server is ready (RFC 5321 §4.2.3).'),
  'smtp.reply.221': p('221 Service closing transmission channel', 'The answer to QUIT: the server closes the connection after it (RFC 5321 §4.1.1.10, §3.8).'),
  'smtp.reply.235': p('235 Authentication successful', 'The SASL exchange succeeded; the session is now authenticated (RFC 4954 §6).'),
  'smtp.reply.250': p('250 Requested mail action okay, completed', 'The usual success reply: MAIL, RCPT, RSET, NOOP, end of DATA (RFC 5321 §4.2.3). SMTP has no "200 OK".'),
  'smtp.reply.251': p('251 User not local; will forward', 'The server accepts the recipient and will forward the mail (RFC 5321 §3.4).'),
  'smtp.reply.252': p('252 Cannot VRFY user, but will accept message', 'The honest answer from a server that will not verify addresses: it neither confirms nor denies the mailbox, so VRFY cannot be used to harvest addresses. A server that will not verify must answer 252, not 250 (RFC 5321 §3.5.3, §7.3). This lab does verify, so it answers 250 or 550.'),
  'smtp.reply.334': p('334 AUTH challenge', 'An intermediate reply in an AUTH exchange: the text is a base64 challenge (possibly empty), and the client\'s next line is a base64 response, not a command (RFC 4954 §4).'),
  'smtp.reply.354': p('354 Start mail input', 'The server is ready for the message: send the header section and body, then end with a line holding only "." (RFC 5321 §4.1.1.4). Lines that begin with "." are sent with an extra dot (RFC 5321 §4.5.2).'),
  'smtp.reply.421': p('421 Service not available, closing channel', 'The server is closing the connection (shutdown, timeout, too many errors). It may come as the answer to any command (RFC 5321 §4.2.3, §3.8).'),
  'smtp.reply.450': p('450 Mailbox unavailable (temporary)', 'Not done, e.g. mailbox busy or temporarily blocked by policy; the client may retry later (RFC 5321 §4.2.3).'),
  'smtp.reply.451': p('451 Local error in processing', 'Aborted because of a server-side error; retry later (RFC 5321 §4.2.3).'),
  'smtp.reply.452': p('452 Insufficient system storage', 'Not done for lack of storage, or too many recipients in this transaction (RFC 5321 §4.2.3, §4.5.3.1.10).'),
  'smtp.reply.454': p('454 Temporary failure (TLS or authentication)', 'TLS not available for a temporary reason (RFC 3207 §4), or a temporary authentication failure (RFC 4954 §6).'),
  'smtp.reply.455': p('455 Server unable to accommodate parameters', 'The MAIL/RCPT parameters cannot be handled right now (RFC 5321 §4.2.3, §4.1.1.11).'),
  'smtp.reply.500': p('500 Syntax error, command unrecognized', 'The server does not know the command, or the line was too long (RFC 5321 §4.2.3, §4.3.2).'),
  'smtp.reply.501': p('501 Syntax error in parameters or arguments', 'The command is known but its arguments are malformed (RFC 5321 §4.2.3).'),
  'smtp.reply.502': p('502 Command not implemented', 'The server recognises the command but does not implement it (RFC 5321 §4.2.4).'),
  'smtp.reply.503': p('503 Bad sequence of commands', 'Right command, wrong moment: e.g. RCPT before MAIL, DATA before RCPT, MAIL before EHLO (RFC 5321 §4.1.4).'),
  'smtp.reply.504': p('504 Command parameter not implemented', 'A parameter of the command is not supported (RFC 5321 §4.2.3).'),
  'smtp.reply.530': p('530 Authentication (or STARTTLS) required', 'The server wants AUTH, or STARTTLS first, before it will do this (RFC 4954 §6; RFC 3207 §4).'),
  'smtp.reply.534': p('534 Authentication mechanism is too weak', 'Pick a stronger SASL mechanism (RFC 4954 §6).'),
  'smtp.reply.535': p('535 Authentication credentials invalid', 'Wrong user name or password (RFC 4954 §6).'),
  'smtp.reply.538': p('538 Encryption required for this mechanism', 'This mechanism would expose the password; run STARTTLS first (RFC 4954 §6). Deprecated: RFC 4954 keeps 538 for history only, and a modern server simply does not offer such a mechanism before TLS.'),
  'smtp.reply.550': p('550 Mailbox unavailable', 'Not done: mailbox not found, no access, or refused for policy reasons (RFC 5321 §4.2.3). Permanent: do not retry unchanged.'),
  'smtp.reply.551': p('551 User not local; please try <forward-path>', 'The server will not forward; the text may name where to send instead (RFC 5321 §3.4).'),
  'smtp.reply.552': p('552 Exceeded storage allocation', 'Message too big for the mailbox or the server\'s limit (RFC 5321 §4.2.3).'),
  'smtp.reply.553': p('553 Mailbox name not allowed', 'The address is syntactically wrong or not permitted (RFC 5321 §4.2.3).'),
  'smtp.reply.554': p('554 Transaction failed', 'The transaction failed; as the very first reply it means "no SMTP service here" (RFC 5321 §4.2.3, §3.1).'),
  'smtp.reply.555': p('555 MAIL FROM/RCPT TO parameters not recognized', 'An ESMTP parameter is unknown or not implemented (RFC 5321 §4.1.1.11).'),
  'smtp.reply.220.greeting': p('220 Greeting: service ready', 'The server\'s opening message, naming its domain. A client should wait for it before sending anything (RFC 5321 §3.1, §4.3.1).'),
  'smtp.reply.554.connect': p('554 No SMTP service here', 'The server rejects the session at connection time. It still waits for QUIT and answers other commands with 503 (RFC 5321 §3.1).'),
  'smtp.reply.421.early': p('421 You talk too soon', 'The client spoke before the server\'s 220 greeting, so this server answers "421 … You talk too soon" and closes: spam bots often blast commands without waiting, while a client SHOULD wait for the greeting (RFC 5321 §4.3.1). Consoles must wait for the 220.'),
  'smtp.reply.220.starttls': p('220 Go ahead with TLS', 'The server agrees to STARTTLS: the next bytes in both directions are a TLS handshake, not SMTP lines (RFC 3207 §4).'),
  'smtp.reply.454.starttls': p('454 TLS not available', 'TLS cannot start for a temporary reason; the session continues in clear text (RFC 3207 §4).'),
  'smtp.reply.250.ehlo': p('250 EHLO reply: extension list', 'The first line greets the client; each further line names one service extension the server supports, with its parameters (RFC 5321 §4.1.1.1). See the fields.'),
  'smtp.reply.250.helo': p('250 HELO accepted', 'The server greets the client. A HELO reply lists no extensions (RFC 5321 §4.1.1.1).'),
  'smtp.reply.250.mail': p('250 Sender accepted', 'The reverse-path is stored; recipients come next (RFC 5321 §4.1.1.2).'),
  'smtp.reply.250.rcpt': p('250 Recipient accepted', 'This forward-path is added to the transaction (RFC 5321 §4.1.1.3).'),
  'smtp.reply.452.rcpt': p('452 Too many recipients', 'The server took as many recipients as it will in one transaction; send the rest in another one (RFC 5321 §4.5.3.1.10).'),
  'smtp.reply.550.relay': p('550 5.7.1 Relaying denied', RELAY),
  'smtp.reply.554.relay': p('554 5.7.1 Relaying denied', RELAY),
  'smtp.reply.554.data': p('554 No valid recipients', 'DATA was refused because no recipient was accepted (RFC 5321 §3.3).'),
  'smtp.reply.250.data': p('250 Message accepted for delivery', 'With this reply the server takes responsibility for the message: deliver it, or send a bounce to the reverse-path (RFC 5321 §4.1.1.4, §4.2.5).'),
  'smtp.reply.500.expn': p('500 EXPN refused', EXPN_OFF),
  'smtp.reply.250.vrfy': p('250 VRFY: mailbox confirmed', 'The server confirms the mailbox and gives its owner\'s name and address (RFC 5321 §3.5.2). Handy for a lab, risky on the Internet: it lets anyone test guessed addresses, which is why many servers answer 252 instead (RFC 5321 §3.5.3, §7.3).'),
  'smtp.reply.250.expn': p('250 EXPN: list members', 'One line per member of the mailing list, each a name and address; all lines but the last use "250-" (RFC 5321 §3.5.1, §4.2.1). Many servers refuse EXPN, since a list of addresses is what spammers want (RFC 5321 §7.3).'),
  'smtp.reply.552.mail': p('552 Declared size too big', 'The SIZE= the client declared on MAIL is over the limit the server announced in its EHLO reply, so the message is refused before a byte of it is sent (RFC 1870 §6.1). Permanent: the client should send RSET or QUIT and report the message undeliverable to its sender rather than try again (RFC 1870 §6.2).'),
  'smtp.reply.214.help': p('214 Help text', 'The answer to HELP: information for a human reading the session, such as where the commands are described (RFC 5321 §4.1.1.8, §4.3.2).'),
  'smtp.reply.211.help': p('211 System status', 'Some servers answer HELP with a status reply instead of 214 help text; RFC 5321 allows both (§4.3.2, §4.2.3).'),
  'smtp.reply.421.timeout': p('421 Timeout, closing connection', 'The client sent nothing for too long. A server may close after a timeout, answering 421 first (RFC 5321 §3.8, §4.5.3.2); 4.4.2 says the connection timed out. The RFC asks servers to wait at least 5 minutes for a command (§4.5.3.2.7); this lab does, but a session that has not said HELO or EHLO gets only a short grace, so idle connections cannot crowd others out (§7.8).'),
  'smtp.reply.500.auth-too-long': p('500 5.5.6 Authentication Exchange line is too long', 'The client\'s line in the AUTH exchange was longer than the server\'s buffer for it (this server\'s is 16 KiB, its command line limit), so the server fails the AUTH command: a 500 reply with enhanced code 5.5.6 (RFC 4954 §4, §6). Only the AUTH command fails: the connection stays open, nothing is authenticated, and the client may try AUTH again or go on without it.'),
  'smtp.reply.421.auth': p('421 Too many failed AUTH attempts', 'After the third failed authentication the server closes the connection. RFC 4954 §9 allows dropping a connection after failed attempts, but not before three have failed; guessing passwords now costs a new connection each time.'),
  'smtp.reply.500.bdat': p('500 BDAT not recognized: no CHUNKING here', 'This server did not advertise CHUNKING in its EHLO reply, so BDAT is an unknown command to it (RFC 5321 §4.2.4). The chunk the client sent right after the BDAT line reaches it as command lines, each answered on its own, and enough of them end the session (RFC 3030 §2). Use DATA.'),
  'smtp.reply.502.expn': p('502 EXPN not implemented', EXPN_OFF),
  'smtp.reply.2xx': p('2xx Positive completion', 'The request succeeded. A client acts on the first digit when it does not know the code (RFC 5321 §4.2.1).'),
  'smtp.reply.3xx': p('3xx Positive intermediate', 'Accepted so far; the server waits for more (as 354 after DATA, 334 in AUTH) (RFC 5321 §4.2.1).'),
  'smtp.reply.4xx': p('4xx Transient negative completion', 'Not done now, but the same request may succeed later (RFC 5321 §4.2.1).'),
  'smtp.reply.5xx': p('5xx Permanent negative completion', 'Not done, and repeating the same request will fail again (RFC 5321 §4.2.1).'),
  'smtp.reply.out-of-range': p('Reply code outside 2xx–5xx', 'Without a negotiated extension a server must only send codes starting with 2, 3, 4 or 5; clients should treat others as fatal (RFC 5321 §4.2).'),
  'smtp.reply.malformed': p('Malformed reply line', 'A reply line must start with three digits followed by a space, a hyphen or the end of the line (RFC 5321 §4.2).'),
  'smtp.reply.incomplete': p('Incomplete multi-line reply', 'Lines of the form "250-…" must end with a last line "250 …" using the same code; this one was cut short (RFC 5321 §4.2.1).'),
  // EHLO keywords
  'smtp.ext.PIPELINING': p('PIPELINING: several commands may be sent without waiting', 'The client may send MAIL, RCPT… in one batch and read the replies afterwards, saving round trips; DATA ends a batch (RFC 2920 §3).'),
  'smtp.ext.8BITMIME': p('8BITMIME: 8-bit message content accepted', 'Enables MAIL … BODY=8BITMIME, so bodies need not be squeezed into 7-bit ASCII (RFC 6152 §2).'),
  'smtp.ext.SMTPUTF8': p('SMTPUTF8: UTF-8 addresses and headers', 'Addresses like ü@例え.jp are allowed when MAIL carries SMTPUTF8 (RFC 6531 §3.1).'),
  'smtp.ext.SIZE': p('SIZE: maximum message size in bytes', 'The number is the largest message the server accepts (0 = no fixed limit); a client can declare SIZE= on MAIL to be refused early (RFC 1870 §3).'),
  'smtp.ext.STARTTLS': p('STARTTLS: TLS upgrade offered', 'The client may switch this connection to TLS (RFC 3207 §2). A man in the middle can delete this line, so clients that require TLS must refuse to continue without it.'),
  'smtp.ext.AUTH': p('AUTH: SASL mechanisms offered', 'The words after AUTH are the SASL mechanisms the server accepts, e.g. PLAIN LOGIN (RFC 4954 §3).'),
  'smtp.ext.ENHANCEDSTATUSCODES': p('ENHANCEDSTATUSCODES: replies carry class.subject.detail codes', 'Replies carry an RFC 3463 code such as 5.1.1 after the reply code (RFC 2034 §3).'),
  'smtp.ext.CHUNKING': p('CHUNKING: BDAT instead of DATA', 'The message may be sent in counted chunks with BDAT, with no dot-stuffing and no "." terminator (RFC 3030 §2).'),
  'smtp.ext.BINARYMIME': p('BINARYMIME: binary bodies with BDAT', 'Allows BODY=BINARYMIME together with CHUNKING (RFC 3030 §3).'),
  'smtp.ext.DSN': p('DSN: delivery status notifications', 'Enables NOTIFY/ORCPT on RCPT and RET/ENVID on MAIL to control bounce reports (RFC 3461 §2).'),
  'smtp.ext.HELP': p('HELP: the HELP command is available', 'The server answers HELP, usually with 214 (RFC 5321 §4.1.1.8, §4.3.2).'),
  'smtp.ext.VRFY': p('VRFY: address verification offered', 'The server lists VRFY as supported (RFC 5321 §4.1.1.6).'),
  'smtp.ext.EXPN': p('EXPN: list expansion offered', 'The server lists EXPN as supported (RFC 5321 §4.1.1.7).'),
  'smtp.ext.REQUIRETLS': p('REQUIRETLS: TLS required end to end', 'MAIL … REQUIRETLS asks every hop to use TLS or bounce the message (RFC 8689 §2).'),
  'smtp.ext.XCLIENT': p('XCLIENT: proxy may override client attributes', 'A Postfix extension letting a trusted proxy pass the real client\'s name and address; not a standard.'),
  'smtp.ext.XFORWARD': p('XFORWARD: proxy may forward client attributes', 'A Postfix extension for logging the original client through a filter; not a standard.'),
  'smtp.ext.unknown': p('Extension not in the lab\'s table', 'A keyword starting with X is a private extension (RFC 5321 §4.1.5); others are in the IANA SMTP Service Extensions registry (RFC 5321 §2.2.2).'),
  // MAIL/RCPT parameters
  'smtp.param.SIZE': p('SIZE=: declared message size in bytes', 'Lets the server refuse a message that is too big before it is sent (RFC 1870 §3).'),
  'smtp.param.BODY': p('BODY=: 7BIT or 8BITMIME body', 'Declares whether the body contains 8-bit data (RFC 6152 §2).'),
  'smtp.param.SMTPUTF8': p('SMTPUTF8: this message uses UTF-8 addresses or headers', 'Only allowed when the server announced SMTPUTF8 (RFC 6531 §3.4).'),
  'smtp.param.AUTH': p('AUTH=: identity that submitted the message', 'Passes the original submitter between trusted servers; <> means unknown (RFC 4954 §5).'),
  'smtp.param.RET': p('RET=: FULL or HDRS in a bounce', 'How much of the message a delivery status notification returns (RFC 3461 §4.3).'),
  'smtp.param.ENVID': p('ENVID=: envelope identifier for bounces', 'An identifier echoed back in delivery status notifications (RFC 3461 §4.4).'),
  'smtp.param.NOTIFY': p('NOTIFY=: when to send a DSN', 'NEVER, or any of SUCCESS, FAILURE, DELAY (RFC 3461 §4.1).'),
  'smtp.param.ORCPT': p('ORCPT=: original recipient', 'The recipient address as originally given, for delivery reports (RFC 3461 §4.2).'),
  'smtp.param.REQUIRETLS': p('REQUIRETLS: deliver over TLS only', 'Every hop must use validated TLS or the message bounces (RFC 8689 §2).'),
  'smtp.param.unknown': p('Unknown parameter', 'A server that does not know a MAIL/RCPT parameter answers 555 (RFC 5321 §4.1.1.11).'),
  // SASL mechanisms (field notes)
  'smtp.sasl.PLAIN': p('PLAIN: user name and password in one base64 string (RFC 4616)', ''),
  'smtp.sasl.LOGIN': p('LOGIN: user name, then password, each in base64 (non-standard, widely used)', ''),
  'smtp.sasl.CRAM-MD5': p('CRAM-MD5: HMAC of a server challenge; the password itself is not sent (RFC 2195)', ''),
  'smtp.sasl.XOAUTH2': p('XOAUTH2: an OAuth 2.0 bearer token (Google/Microsoft)', ''),
  // Enhanced status codes (RFC 3463)
  'smtp.esc.class.2': p('Success', 'The action succeeded (RFC 3463 §2).'),
  'smtp.esc.class.4': p('Persistent transient failure', 'The message is valid, but a temporary condition stopped it; a later attempt may succeed (RFC 3463 §2).'),
  'smtp.esc.class.5': p('Permanent failure', 'Resending unchanged will fail again; the message or destination must change (RFC 3463 §2).'),
  'smtp.esc.subject.0': p('Other or undefined status', 'No further subject information (RFC 3463 §3.1).'),
  'smtp.esc.subject.1': p('Addressing status', 'About the sender or recipient address (RFC 3463 §3.2).'),
  'smtp.esc.subject.2': p('Mailbox status', 'About the recipient\'s mailbox (RFC 3463 §3.3).'),
  'smtp.esc.subject.3': p('Mail system status', 'About the receiving mail system (RFC 3463 §3.4).'),
  'smtp.esc.subject.4': p('Network and routing status', 'About the network or routing (RFC 3463 §3.5).'),
  'smtp.esc.subject.5': p('Mail delivery protocol status', 'About the SMTP dialogue itself (RFC 3463 §3.6).'),
  'smtp.esc.subject.6': p('Message content or media status', 'About the message content (RFC 3463 §3.7).'),
  'smtp.esc.subject.7': p('Security or policy status', 'About security or policy: authentication, relaying, filtering (RFC 3463 §3.8).'),
  'smtp.esc.X.0.0': p('Other undefined status', 'Nothing more specific to say; 2.0.0 is a plain "OK" (RFC 3463 §3.1).'),
  'smtp.esc.X.1.0': p('Other address status', 'Used as 2.1.0 "sender OK" by many servers (RFC 3463 §3.2).'),
  'smtp.esc.X.1.1': p('Bad destination mailbox address', 'The recipient mailbox does not exist (RFC 3463 §3.2).'),
  'smtp.esc.X.1.2': p('Bad destination system address', 'The recipient\'s domain does not exist or accept mail (RFC 3463 §3.2).'),
  'smtp.esc.X.1.3': p('Bad destination mailbox address syntax', 'The recipient address is malformed (RFC 3463 §3.2).'),
  'smtp.esc.X.1.5': p('Destination address valid', 'Used as 2.1.5 "recipient OK" (RFC 3463 §3.2).'),
  'smtp.esc.X.1.6': p('Mailbox has moved, no forwarding address', 'The recipient left no forwarding address (RFC 3463 §3.2).'),
  'smtp.esc.X.1.7': p('Bad sender\'s mailbox address syntax', 'The reverse-path is malformed (RFC 3463 §3.2).'),
  'smtp.esc.X.1.8': p('Bad sender\'s system address', 'The sender\'s domain is not valid (RFC 3463 §3.2).'),
  'smtp.esc.X.2.0': p('Other or undefined mailbox status', 'A mailbox problem (RFC 3463 §3.3).'),
  'smtp.esc.X.2.1': p('Mailbox disabled, not accepting messages', 'The mailbox exists but refuses mail (RFC 3463 §3.3).'),
  'smtp.esc.X.2.2': p('Mailbox full', 'The recipient is over quota (RFC 3463 §3.3).'),
  'smtp.esc.X.2.3': p('Message length exceeds administrative limit', 'The message is too long for this recipient (RFC 3463 §3.3).'),
  'smtp.esc.X.3.0': p('Other or undefined mail system status', 'A problem in the receiving system (RFC 3463 §3.4).'),
  'smtp.esc.X.3.4': p('Message too big for system', 'Larger than the server accepts at all (RFC 3463 §3.4).'),
  'smtp.esc.X.4.2': p('Bad connection', 'The connection broke or timed out (RFC 3463 §3.5).'),
  'smtp.esc.X.5.0': p('Other or undefined protocol status', 'An SMTP protocol problem (RFC 3463 §3.6).'),
  'smtp.esc.X.5.1': p('Invalid command', 'Unknown command, or not allowed now (RFC 3463 §3.6).'),
  'smtp.esc.X.5.2': p('Syntax error', 'The command could not be parsed (RFC 3463 §3.6).'),
  'smtp.esc.X.5.3': p('Too many recipients', 'More recipients than the server takes in one transaction (RFC 3463 §3.6; RFC 5321 §4.5.3.1.10).'),
  'smtp.esc.X.5.4': p('Invalid command arguments', 'The arguments are wrong for the command (RFC 3463 §3.6).'),
  'smtp.esc.X.5.6': p('Authentication exchange line is too long', 'An AUTH line exceeded the server\'s limit (RFC 4954 §6).'),
  'smtp.esc.X.6.0': p('Other or undefined media status', 'A content-related status; many servers, this one included, use 2.6.0 for "message accepted" (RFC 3463 §3.7).'),
  'smtp.esc.X.7.0': p('Other or undefined security status', 'A security or policy condition; 2.7.0 means authentication succeeded, 5.7.0 that it is required (RFC 3463 §3.8; RFC 4954 §6).'),
  'smtp.esc.X.7.1': p('Delivery not authorized, message refused', 'Refused by policy, typically "relaying denied" or a per-sender/recipient filter (RFC 3463 §3.8).'),
  'smtp.esc.X.7.8': p('Authentication credentials invalid', 'Wrong user name or password (RFC 4954 §6).'),
  'smtp.esc.X.7.9': p('Authentication mechanism is too weak', 'Use a stronger mechanism (RFC 4954 §6).'),
  'smtp.esc.X.7.11': p('Encryption required for requested authentication mechanism', 'Run STARTTLS before this AUTH mechanism (RFC 4954 §6).'),
  // Stream-level notes
  'smtp.line.bare-lf': p('Line ended with a bare LF', 'SMTP lines end with CR LF; a lone LF is not a line ending in SMTP (RFC 5321 §2.3.8). This server accepts it for commands, but other servers need not: relying on that is fragile.'),
  'smtp.early-talker': p('Client spoke before the server\'s greeting', 'An SMTP client SHOULD wait for the 220 greeting before sending commands (RFC 5321 §4.3.1). This server answers "421 You talk too soon" and hangs up: bulk-mail bots typically do not wait.'),
  'smtp.starttls.injection': p('Plaintext sent after STARTTLS', 'These bytes followed STARTTLS before the TLS handshake, in clear text. An attacker could have injected them; the server must discard them, and this one does (RFC 3207 §4.2; CVE-2011-0411).'),
  'smtp.cmd.bdat-not-advertised': p('BDAT (RFC 3030 CHUNKING), which this server did not offer', 'The CHUNKING extension\'s alternative to DATA: "BDAT <size> [LAST]", then exactly that many octets of the message (RFC 3030 §2, §4.1). A client may use it only when the server\'s EHLO reply lists CHUNKING, and this server did not advertise CHUNKING in its EHLO reply, so it does not know the command. Worse, the chunk follows the BDAT line without waiting for an answer, and a server without CHUNKING reads those octets as command lines (RFC 3030 §2). Send the message with DATA instead.'),
  'smtp.cmd.too-long': p('Command line longer than 512 bytes', 'RFC 5321 limits a command line, CRLF included, to 512 octets unless an extension raises it (§4.5.3.1.4); the server may answer 500.'),
  'smtp.addr.utf8-without-smtputf8': p('A UTF-8 address, but MAIL carried no SMTPUTF8', 'This address holds characters beyond ASCII, sent as UTF-8, yet the MAIL command of this mail had no SMTPUTF8 parameter. A client whose envelope or message needs the SMTPUTF8 extension MUST supply that parameter with MAIL (RFC 6531 §3.4). A server that reads the address as ASCII may refuse it: 550 for the sender, 553 for a recipient, with enhanced code 5.6.7, "Non-ASCII addresses not permitted" (§3.5). This server lists SMTPUTF8 in its EHLO reply, so write MAIL FROM:<…> SMTPUTF8.'),
  'smtp.rcpt.quoted-local-part': p('RCPT TO with a quoted local part: the same mailbox as without the quotes', 'A local part may be written as a quoted string ("alice"), and when local parts are compared with mailbox names "all quoted forms MUST be treated as equivalent" (RFC 5321 §4.1.2): "alice"@lab.test is the same mailbox as alice@lab.test, and a backslash in the quotes only takes the next character literally ("al\\ice" is alice). The local-part field shows the name without its quotes: a lab mailbox gets 250 and the mail is stored for it under its plain name, any other name 550 5.1.1. Senders SHOULD use the least quoting possible (same section), so a quoted plain name is unusual; quotes that hide an address ("user@example.com"@lab.test) are refused, never unwrapped.'),
  'smtp.cmd.auth-tls': p('AUTH TLS: FTP\'s command, not SMTP\'s', 'In FTP, AUTH TLS asks to switch the connection to TLS (RFC 4217 §4); older FTP clients say AUTH SSL. In SMTP, AUTH starts a SASL login, and neither TLS nor SSL is a SASL mechanism: this server refuses it (503 before EHLO, its own rule; otherwise 504 for an unsupported mechanism, RFC 4954 §4) and nothing gets encrypted. SMTP switches to TLS with STARTTLS (RFC 3207 §4). An FTP client pointed at this port sends AUTH TLS.'),
  'smtp.auth.cleartext': p('AUTH before STARTTLS: the password is readable', 'base64 is an encoding, not encryption (RFC 4648 §4): anyone who can see these bytes decodes the user name and password instantly. The lab masks the password; an eavesdropper would not. Run STARTTLS first (or use implicit TLS) (RFC 4954 §9, §14).'),
  'smtp.auth.username': p('AUTH LOGIN: user name in base64', 'The answer to "Username:". base64 is not encryption: without TLS around it, anyone on the path can read it (RFC 4954 §4).'),
  'smtp.auth.password': p('AUTH LOGIN: password in base64 (masked here)', 'The answer to "Password:". It is only base64-encoded: without TLS around it, anyone who sees it can decode it (RFC 4648 §4). The lab masks it.'),
  'smtp.auth.token': p('AUTH PLAIN response (password masked)', 'base64 of authzid NUL user NUL password (RFC 4616 §2); without TLS around it, any eavesdropper can decode it. The lab masks the password.'),
  'smtp.auth.secret': p('AUTH response (masked)', 'A base64 SASL response; the lab masks it because it may contain a credential (RFC 4954 §4).'),
  'smtp.auth.cancel': p('AUTH cancelled', 'A line "*" cancels the exchange; the server answers 501 (RFC 4954 §4).'),
  'smtp.data.first': p('Message content begins', 'First the header section (From:, To:, Subject:…), then an empty line, then the body (RFC 5322 §2.1). These headers are what mail programs show; the envelope (MAIL/RCPT) is what servers route by (RFC 5321 §4.1.1.4).'),
  'smtp.data.early': p('Message content sent before the 354', 'The client sent this line before the server answered its DATA: DATA ends a pipelined group, and the client waits for 354 before it sends the message (RFC 2920 §3.1; RFC 5321 §4.1.1.4), as when a whole session is pasted at once. The lab reads it as the message, as the server does once it answers 354; after a refusal the server reads these lines as commands.'),
  'smtp.data.header-end': p('Empty line: end of the header section', 'Everything after this line is the message body (RFC 5322 §2.1).'),
  'smtp.data.dot-stuffed': p('Dot-stuffed line', 'The client doubled a leading "." so this line cannot be mistaken for the end of data; the receiver removes the leading dot (RFC 5321 §4.5.2). See the field for the line as delivered.'),
  'smtp.data.dot-not-doubled': p('Leading dot not doubled: the receiver deletes it', 'This line starts with a single ".". A sending client doubles the leading dot of every text line (transparency, RFC 5321 §4.5.2) and the receiver deletes the first dot of every line that starts with one, so this dot is lost: the line is stored without it (see the field). A client sending this did not apply transparency; typing by hand, type two dots to keep one.'),
  'smtp.data.bare-lf': p('Data line ended with a bare LF', 'Inside DATA a lone LF is not a line end (RFC 5321 §2.3.8); it stays part of the content.'),
  'smtp.data.bare-lf-dot': p('"." with a bare LF does NOT end DATA', 'Only CR LF . CR LF ends the message; LF . LF or mixed forms must not (RFC 5321 §4.1.1.4). Servers that accept them can be tricked into seeing a second, forged message inside this one ("SMTP smuggling", 2023). It stays message content.'),
  'smtp.data.long-line': p('Text line longer than 1000 bytes', 'RFC 5321 limits a text line, CRLF included, to 1000 octets (§4.5.3.1.6); servers may reject or wrap it.'),
  'smtp.data.summary': p('Message content (summarised)', 'The lab shows the first lines of a message and counts the rest, so large bodies are never stored whole.'),
  'smtp.header.message-id': p('Message-ID: this message\'s unique identifier', 'A globally unique id in angle brackets, set once by whoever creates the message (RFC 5322 §3.6.4). Replies quote it in In-Reply-To and References; the SOAP 1.2 Email Binding relies on exactly that to match a response to its request.'),
  'smtp.header.message-id.duplicate': p('Message-ID seen before', 'A message has at most one Message-ID, and no two messages may share one (RFC 5322 §3.6, §3.6.4). This one repeats a Message-ID already used in this message or on this connection, so replies can no longer be matched to it unambiguously: a SOAP response could be taken for the answer to the wrong request.'),
  'smtp.header.in-reply-to': p('In-Reply-To: the message this one answers', 'The Message-ID of the message being replied to (RFC 5322 §3.6.4). In SOAP over email the response carries the request\'s Message-ID here; it is how the requester pairs them.'),
  'smtp.header.references': p('References: the thread so far', 'The Message-IDs of the conversation this message belongs to, oldest first (RFC 5322 §3.6.4). A SOAP response repeats the request\'s Message-ID here as well.'),
  'smtp.header.content-type': p('Content-Type: what the body is', 'The media type of the body and its parameters, e.g. text/plain; charset=utf-8 (RFC 2045 §5). Without it, a reader assumes plain US-ASCII text.'),
  'smtp.header.from': p('From: the author, as the reader sees it', 'The mailbox of whoever wrote the message (RFC 5322 §3.6.2). It is part of the content, not of the envelope: the server delivers by MAIL FROM and RCPT TO, and shows the reader this line (RFC 5321 §2.3.1).'),
  'smtp.header.from.not-envelope': p('From: is not the envelope sender', 'This author is not the reverse-path given in MAIL FROM for this mail. SMTP does not compare the two (RFC 5321 §2.3.1): mailing lists and forwarders differ this way, and so does a forged sender. Receivers that care check with other mechanisms (SPF, DKIM, DMARC), not with SMTP itself.'),
  'smtp.header.to': p('To: the recipients the reader sees', 'Primary recipients, for display (RFC 5322 §3.6.3). Delivery follows the envelope\'s RCPT TO commands, not this line (RFC 5321 §2.3.1): a Bcc recipient is an RCPT TO that no header names.'),
  'smtp.header.cc': p('Cc: copies, for display', 'Further recipients the reader sees (RFC 5322 §3.6.3); like To:, it delivers nothing: the RCPT TO commands do.'),
  'smtp.header.subject': p('Subject: the topic line', 'Free text the reader sees in a list of mails (RFC 5322 §3.6.5). Anything beyond ASCII travels as encoded-words such as =?utf-8?B?…?= (RFC 2047 §2).'),
  'smtp.header.date': p('Date: when the message was written', 'The origination date, which every message must have: when the author finished it, not when it was sent or delivered (RFC 5322 §3.6.1).'),
  'smtp.header.content-type.soap': p('Content-Type: a SOAP envelope', 'application/soap+xml (SOAP 1.2) or text/xml (SOAP 1.1) marks the body as a SOAP envelope (RFC 2045 §5). The lab hands such a body to its SOAP dissector at the final "." and shows the envelope\'s parts.'),
  'smtp.data.end': p('End of data: "."', 'A line holding only "." (CR LF . CR LF) ends the message (RFC 5321 §4.1.1.4, §4.5.2). The server now answers for the whole message.'),
  'smtp.overlong.auth': p('Authentication line too long (masked, truncated)', 'No line end after 2048 bytes in an authentication exchange (an AUTH command\'s initial response, or a response after 334). Its base64 can be much longer than a command line: RFC 4954 §4 asks servers to handle their mechanisms\' longest responses whatever their command line limit, and calls 12288 octets enough. A server whose buffer is smaller fails the AUTH command with 500 5.5.6. The lab masks it, as it carries credentials, and counts the rest.'),
  'smtp.overlong.command': p('Line too long (truncated)', 'No line end after 2048 bytes. RFC 5321 allows 512 octets per command line (§4.5.3.1.4); the lab shows the start and counts the rest.'),
  'smtp.overlong.data': p('Text line too long (truncated)', 'No line end after 2048 bytes; RFC 5321 allows 1000 octets per text line (§4.5.3.1.6). The lab shows the start and counts the rest.'),
  'smtp.overlong.reply': p('Reply line too long (truncated)', 'No line end after 2048 bytes; RFC 5321 allows 512 octets per reply line (§4.5.3.1.5).'),
  'smtp.closed-mid-line': p('Connection closed mid-line', 'The connection ended before this line\'s CR LF arrived, so the peer never processed it as a complete line (RFC 5321 §2.3.8).'),
  'smtp.tls.start': p('TLS starts: from here on the wire carries TLS records', 'After STARTTLS and 220 both directions carry TLS records. The first ones are the handshake: ClientHello and ServerHello in clear, then (with TLS 1.3) the rest of the handshake already encrypted. Only then does the SMTP dialogue go on, encrypted: an eavesdropper sees record types, sizes and timing. Both sides forget the earlier session state and the client sends EHLO again (RFC 3207 §4.2; RFC 8446 §2).'),
  'smtp.tls.client-hello': p('ClientHello (cleartext)', 'Readable by anyone: the TLS versions, cipher suites and key shares offered, and the server name (SNI) the client asks for. No secret is in it (RFC 8446 §4.1.2).'),
  'smtp.tls.server-hello': p('ServerHello (cleartext)', 'The server\'s choice of version and cipher suite and its key share. In TLS 1.3 everything after it, including the certificate, is encrypted; in TLS 1.2 the certificate still follows in clear (RFC 8446 §4.1.3).'),
  'smtp.tls.handshake': p('TLS handshake (cleartext)', 'A handshake message still sent in clear, e.g. a TLS 1.2 Certificate: an eavesdropper can read it (RFC 5246 §7.4).'),
  'smtp.tls.encrypted-handshake': p('Encrypted handshake', 'Handshake data after keys were switched on (e.g. Finished): only its length is visible (RFC 8446 §2).'),
  'smtp.tls.ccs': p('ChangeCipherSpec', 'In TLS 1.2 it announces "from now on I encrypt". TLS 1.3 has no use for it; a peer sends this one-byte record only for middlebox compatibility, because old middleboxes expect it, and it changes nothing (RFC 8446 Appendix D.4).'),
  'smtp.tls.alert': p('TLS alert', 'An alert record: a warning or a fatal error that ends the connection (RFC 8446 §6).'),
  'smtp.tls.appdata': p('Encrypted application data', 'After the handshake, this is where the SMTP dialogue (EHLO, AUTH, MAIL, the message) travels; an eavesdropper sees only each record\'s size and timing (RFC 8446 §5.2). The endpoint view shows what the server decrypted.'),
  'smtp.tls.encrypted-extensions': p('EncryptedExtensions (by its position)', 'In TLS 1.3 everything the server sends after ServerHello is encrypted and labelled "Application Data" on the wire (RFC 8446 §5.2), so only order and size tell records apart. The first record of the server\'s encrypted flight is EncryptedExtensions: the negotiated extensions that need not be in clear (RFC 8446 §4.3.1).'),
  'smtp.tls.certificate': p('Certificate (by its position)', 'The second record of the server\'s encrypted flight: its certificate chain, the largest record of the handshake. In TLS 1.2 an eavesdropper could read it; in TLS 1.3 it is encrypted (RFC 8446 §4.4.2).'),
  'smtp.tls.certificate-verify': p('CertificateVerify (by its position)', 'The third record: the server\'s signature over the handshake so far, proving it holds the certificate\'s private key (RFC 8446 §4.4.3).'),
  'smtp.tls.server-finished': p('Server Finished (by its position)', 'The last record of the server\'s flight: a MAC over the whole handshake, so tampering with any earlier message would be noticed (RFC 8446 §4.4.4).'),
  'smtp.tls.server-flight': p('More of the server\'s encrypted handshake', 'Another record the server sent before the client finished the handshake; with one message per record, the flight is EncryptedExtensions, Certificate, CertificateVerify, Finished (RFC 8446 §2).'),
  'smtp.tls.client-finished': p('Client Finished (by its position)', 'The client\'s first encrypted record: its MAC over the handshake, which completes it (RFC 8446 §4.4.4). Only the records after it carry SMTP.'),
  'smtp.tls.session-ticket': p('NewSessionTicket (by its position)', 'Right after the handshake, before any SMTP reply, a TLS 1.3 server sends session tickets the client may use to resume later (RFC 8446 §4.6.1). This lab\'s server sends two, so the two records after the client\'s Finished are taken to be tickets.'),
  'smtp.tls.encrypted-alert': p('Two bytes of content (by its size)', 'Nineteen bytes of ciphertext carry two bytes of content, plus a one-byte content type and a 16-byte authentication tag (RFC 8446 §5.2). That is exactly an alert, at the end of a session close_notify: "I will send nothing more" (RFC 8446 §6.1). It is also exactly two bytes of data, such as the empty line (CR LF) between a mail\'s header and body: an eavesdropper cannot tell which.'),
  'smtp.tls.record': p('TLS record', 'A TLS record; its content type is in the fields (RFC 8446 §5.1).'),
  'smtp.tls.garbage': p('Not a TLS record', 'After STARTTLS only TLS records may follow. These bytes do not frame as TLS (plain text typed after STARTTLS?); the TLS stack will abort the handshake (RFC 8446 §5.1).'),
  'smtp.tls.unexpected': p('A TLS handshake where an SMTP command belongs', 'The client started TLS at once (implicit TLS, as on port 465: RFC 8314 §3.3), but this port speaks plain SMTP and upgrades only after STARTTLS and 220 (RFC 3207 §4). Sent at once, it comes before the 220 greeting: as soon as a line end (byte 0x0a) shows up in it, this server answers "421 … You talk too soon" and closes. Either way the handshake fails, for what comes back is SMTP text, not TLS. Use STARTTLS (e.g. openssl s_client -starttls smtp) or the implicit-TLS port.'),
  // Another protocol's client on this port (its first command; lib/protocols/kit/other-client.ts)
  'smtp.other.http': p('An HTTP request on the SMTP port', 'curl or a browser was pointed at the SMTP port: this is the first line of an HTTP request (RFC 9112 §3). An HTTP client sends its request at once, but an SMTP client should wait for the 220 greeting (RFC 5321 §4.3.1), so this server answers "421 … You talk too soon" and closes. A request line after the greeting gets 421 too: a web page can make a browser POST to a mail port (a cross-protocol attack), and a server may close a connection to defend itself (RFC 5321 §7.8).'),
  'smtp.other.http-more': p('More of the HTTP request above', 'A header line of that request, not an SMTP command; an empty line ends the header section (RFC 9112 §2.1). The server answered the request line with 421, which closes the connection.'),
  'smtp.other.ssh': p('An SSH client on the SMTP port', 'ssh was pointed at the SMTP port. An SSH client sends its version line ("SSH-2.0-…") as soon as the connection is up, without waiting for the server (RFC 4253 §4.2); an SMTP client should wait for the 220 greeting (RFC 5321 §4.3.1). When the line comes before the greeting, as it usually does, this server answers "421 … You talk too soon" and closes; ssh then reports "kex_exchange_identification: Connection closed by remote host".'),
  'smtp.other.ftp': p('An FTP client on the SMTP port', 'An FTP client (lftp, curl ftp://) was pointed at the SMTP port. FTP servers greet with 220 as well (RFC 959 §5.4), so it took this server\'s greeting for an FTP one and began with an FTP command: lftp with FEAT, which asks for the server\'s extensions (RFC 2389 §3), curl with USER. This server does not know the command and answers with an error (RFC 5321 §4.2.4).'),
  // Field notes
  'smtp.field.null-path': p('Null reverse-path: a bounce or notification; never answered with another bounce (RFC 5321 §4.5.5)', ''),
  'smtp.field.quoted-local-part': p('the local part without its quotes: the mailbox the quoted form names (RFC 5321 §4.1.2)', ''),
  'smtp.field.bad-local-part': p('opens a quote but is no whole quoted string (RFC 5321 §4.1.2); expect 501', ''),
  'smtp.field.bad-path': p('Not the FROM:<path> / TO:<path> form the RFC requires; expect 501', ''),
  'smtp.field.base64': p('base64-decoded by the lab', ''),
  'smtp.field.not-base64': p('not valid base64', ''),
  'smtp.field.masked': p('masked by the lab; on the wire it is only base64', ''),
  'smtp.field.authzid': p('authorization identity: act as this user (usually empty)', ''),
  'smtp.field.ehlo-domain': p('the server\'s name for itself', ''),
  'smtp.field.helo-domain': p('the name the client gives for itself', ''),
  'smtp.field.on-delivery': p('the line as stored, leading dot removed', ''),
  'smtp.field.class-mismatch': p('does not match the reply code\'s first digit (RFC 2034 §4)', ''),
  'smtp.field.unknown': p('not in the lab\'s table', ''),
};

const RECORD_KIND: Readonly<Record<number, string>> = { 23: 'Application Data' };

/** The English text of the SMTP lab. */
export const TEXT_EN: SmtpText = {
  prose: PROSE,
  format: {
    dataSummary: (lines, bytes) => `… ${counted(lines, 'more line')} (${num(bytes)} bytes) of message content`,
    overlong: (preview, bytes) => `${preview}… (line cut after ${num(bytes)} bytes, no line end yet)`,
    overlongMore: (bytes, total, ended) =>
      ended ? `… ${num(bytes)} more bytes, end of the overlong line (${num(total)} bytes in all)` : `… ${num(bytes)} more bytes of the overlong line`,
    moreLines: (count) => `… ${num(count)} more lines`,
    tlsStart: '— TLS starts here: both directions now carry encrypted records —',
    tlsRecord: (r, likely) => {
      const name = RECORD_KIND[r.contentType] ?? r.contentTypeName;
      const detail = r.alert ? ` (${r.alert.level}, ${r.alert.description})` : r.handshake.length > 0 ? ` (${r.handshake.join(', ')})` : '';
      const enc = r.encrypted ? ' (encrypted)' : '';
      const cut = r.complete ? '' : ` — cut short: ${num(r.bytes)} of ${num(r.length + 5)} bytes arrived`;
      const role = likely ? ` — likely ${likely}` : '';
      return `TLS record: ${name}${detail}, ${num(r.complete ? r.bytes : r.length + 5)} bytes${enc}${role}${cut}`;
    },
    tlsGuess: (g) => {
      if (g.role === 'server-flight') return g.name ? `the server's ${g.name}` : `more of the server's handshake (record ${g.position})`;
      if (g.role === 'client-finished') return "the client's Finished";
      if (g.role === 'session-ticket') return `NewSessionTicket ${g.position}`;
      if (g.role === 'encrypted-alert') return 'an alert (close_notify) or two bytes of data';
      return '';
    },
    tlsGarbage: (bytes, preview) => `Not TLS: ${num(bytes)} bytes: ${preview}`,
    tlsAsCommand: (hello, bytes, total) => {
      const size = total === null || bytes >= total ? `${num(bytes)} bytes` : `${num(bytes)} of ${num(total)} bytes (cut short)`;
      return `<TLS ${hello ? 'ClientHello' : 'handshake record'}, ${size}, sent as an SMTP command>`;
    },
    extensionNote: (title, kind, params) => {
      if (kind === 'size' && /^\d+$/.test(params)) return Number(params) === 0 ? `${title} — no fixed limit` : `${title} — ${num(Number(params))} bytes`;
      return params && kind ? `${title} — ${params}` : title;
    },
    missing: (key) => ({ title: key, explain: '' }),
  },
};
