import type { ComponentType } from 'react';
import type { LabEntry } from '@/components/labs';
import { FtpLab } from '@/components/ftp/ftp-lab';
import { GatewayLab } from '@/components/gateway/gateway-lab';
import { SmtpLab } from '@/components/smtp/smtp-lab';
import { SoapLab } from '@/components/soap/soap-lab';
import { SshLab } from '@/components/ssh/ssh-lab';
import { ZmqLab } from '@/components/zmq/zmq-lab';
import { PolicyLab } from '@/components/policy/policy-lab';

/** One lab's page: its browser title and the component that draws it inside the lab shell. */
export interface LabView {
  title: string;
  View: ComponentType;
}

/**
 * The UI registry: the page of each lab that has one, by the slug in components/labs.ts. A new
 * lab's page is one line here; the route, its static params and the "coming" page derive from LABS.
 */
export const LAB_VIEWS: Partial<Record<LabEntry['slug'], LabView>> = {
  smtp: { title: 'SMTP lab', View: SmtpLab },
  ssh: { title: 'SSH & SFTP lab', View: SshLab },
  ftp: { title: 'FTP lab', View: FtpLab },
  soap: { title: 'SOAP lab', View: SoapLab },
  zmq: { title: 'ZeroMQ lab', View: ZmqLab },
  policy: { title: 'WS-Policy lab', View: PolicyLab },
  gateway: { title: 'Access-control lab', View: GatewayLab },
};
