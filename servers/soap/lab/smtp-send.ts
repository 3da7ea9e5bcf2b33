/**
 * Sends the lab's own mails (SOAP requests, answers, bounces) through the SMTP lab's public
 * tap with nodemailer, so each appears as a dissected SMTP connection like any student's mail.
 * Plain SMTP on loopback (no STARTTLS): the point is to see the binding's headers on the wire.
 */
import nodemailer from 'nodemailer';

/** One mail to hand to the lab's SMTP server. `from: ''` sends the null reverse-path of a bounce. */
export interface SmtpSubmission {
  from: string;
  to: string;
  raw: Buffer;
}

export type SmtpSend = (mail: SmtpSubmission) => Promise<void>;

/** A sender for the SMTP tap at 127.0.0.1:`port()` (read per send: the SMTP lab may restart). */
export function smtpSender(port: () => number): SmtpSend {
  let transport: ReturnType<typeof nodemailer.createTransport> | null = null;
  let transportPort = 0;
  return async ({ from, to, raw }) => {
    const current = port();
    if (!transport || transportPort !== current) {
      transport?.close();
      // Not pooled: one SMTP connection per mail, so each mail has its own transcript.
      transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: current,
        secure: false,
        ignoreTLS: true,
        name: 'soap.lab.test',
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
      transportPort = current;
    }
    await transport.sendMail({ envelope: { from, to: [to] }, raw });
  };
}
