import type { Metadata } from 'next';
import { SoapLab } from '@/components/soap/soap-lab';

export const metadata: Metadata = { title: 'SOAP lab — Protocol Lab' };

export default function SoapPage() {
  return <SoapLab />;
}
