import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { DisplayProvider } from '@/components/lab/display-context';
import { DisplayControls } from '@/components/lab/display-controls';
import { NavLink } from '@/components/lab/nav-link';
import { ClassNavLink } from '@/components/classroom/class-nav-link';
import { SecretsProvider } from '@/components/lab/secrets';
import { LABS } from '@/components/labs';
import './globals.css';

export const metadata: Metadata = {
  title: 'Protocol Lab',
  description: 'Real protocol servers on your machine, every byte captured and explained.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <DisplayProvider>
          {/* The nav wraps rather than cutting an entry; in Presenter mode tighter gaps keep it one line at 1280 px. */}
          <header className="flex min-h-12 items-center gap-6 border-b border-slate-800 bg-slate-900/80 px-4 py-1 [.presenter_&]:gap-3">
            <Link href="/" className="shrink-0 font-semibold tracking-tight text-slate-100">
              <span className="text-sky-400">⇄</span> Protocol Lab
            </Link>
            <nav className="flex min-w-0 flex-wrap gap-x-4 gap-y-1 whitespace-nowrap text-sm text-slate-400 [.presenter_&]:gap-x-2.5">
              <NavLink href="/start" className="text-sky-300 hover:text-sky-100">
                Start here
              </NavLink>
              {LABS.filter((lab) => lab.live).map((lab) => {
                // On a projector the larger type needs the room: "SSH & SFTP" reads "SSH" there, so every link fits.
                const [short, rest = ''] = lab.name.split(/(?= & )/);
                return (
                  <NavLink key={lab.slug} href={`/${lab.slug}`} className="hover:text-slate-100">
                    {short}
                    <span className="[.presenter_&]:hidden">{rest}</span>
                  </NavLink>
                );
              })}
              <NavLink href="/sessions" className="hover:text-slate-100">
                Sessions
              </NavLink>
              {/* A student's class page, or the signed-in teacher's page: in Presenter mode too (the gaps above leave it room). */}
              <ClassNavLink className="hover:text-slate-100" />
            </nav>
            <div className="ml-auto">
              <DisplayControls />
            </div>
          </header>
          <SecretsProvider>
            <main>{children}</main>
          </SecretsProvider>
        </DisplayProvider>
      </body>
    </html>
  );
}
