'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

/** A header link that marks the page it leads to while that page is open (aria-current, underlined). */
export function NavLink({ href, className = '', children }: { href: string; className?: string; children: ReactNode }) {
  const path = usePathname();
  // A lab's player and sub-pages are still that page: /sessions/smtp-… marks Sessions.
  const current = path === href || path.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={current ? 'page' : undefined}
      className={`${className} ${current ? 'text-white underline decoration-sky-400 decoration-2 underline-offset-[6px]' : ''}`}
    >
      {children}
    </Link>
  );
}
