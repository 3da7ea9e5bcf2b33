import type { Metadata } from 'next';
import { SshLab } from '@/components/ssh/ssh-lab';

export const metadata: Metadata = { title: 'SSH & SFTP lab — Protocol Lab' };

export default function SshPage() {
  return <SshLab />;
}
