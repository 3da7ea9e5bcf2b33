import type { Metadata } from 'next';
import { FtpLab } from '@/components/ftp/ftp-lab';

export const metadata: Metadata = { title: 'FTP lab — Protocol Lab' };

export default function FtpPage() {
  return <FtpLab />;
}
