import { NavBar } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { Banners } from './Banners';

/** A screen with a title bar (and a back arrow unless it is a tab root). */
/** `wide`: a board or table that may use the whole desktop width. */
export function Page({ title, back = true, right, wide = false, children }: { title: ReactNode; back?: boolean; right?: ReactNode; wide?: boolean; children: ReactNode }) {
  const navigate = useNavigate();
  return (
    <div className={wide ? 'page wide-page' : 'page'}>
      <header className="page-header">
        <NavBar className="page-nav" back={back ? '' : null} onBack={() => navigate(-1)} right={right}>
          {title}
        </NavBar>
        <Banners />
      </header>
      <div className="page-body">{children}</div>
    </div>
  );
}

export function Section({ title, extra, children, testId }: { title: ReactNode; extra?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="section" data-testid={testId}>
      <div className="section-head">
        <h2>{title}</h2>
        {extra}
      </div>
      {children}
    </section>
  );
}
