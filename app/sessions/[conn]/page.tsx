import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LabSocketProvider } from '@/components/lab/lab-socket';
import { SessionPlayer } from '@/components/player/session-player';

type Params = { params: Promise<{ conn: string }> };

/** Connection ids as the daemon makes them (the API's own pattern). */
const CONN = /^[A-Za-z0-9_-]{1,64}$/;

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { conn } = await params;
  return { title: `Session ${conn} — Protocol Lab` };
}

/** The session player: `/sessions/<connection id>?msg=<seq>` opens one connection at one message. */
export default async function SessionRoute({ params }: Params) {
  const { conn } = await params;
  if (!CONN.test(conn)) notFound();
  return (
    <LabSocketProvider>
      <SessionPlayer conn={conn} />
    </LabSocketProvider>
  );
}
