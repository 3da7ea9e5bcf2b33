import type { Metadata } from 'next';
import { SmtpLab } from '@/components/smtp/smtp-lab';

export const metadata: Metadata = { title: 'SMTP lab — Protocol Lab' };

export default function SmtpPage() {
  return <SmtpLab />;
}
