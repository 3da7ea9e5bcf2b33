'use client';

import { useId, type ReactNode } from 'react';

/**
 * The one SVG of every ladder in the lab (the general ladder, the SOAP mail binding's, the access
 * lab's): lane headers and lifelines, arrows with their arrowheads and labels, bars and boxes. It
 * draws what it is given; where things go is each ladder's own pure layout.
 */

/** A text placed in the diagram. */
export interface DiagramText {
  x: number;
  y: number;
  text: string;
  anchor?: 'start' | 'middle' | 'end';
  /** Fill colour; or a Tailwind fill class in `className`. */
  colour?: string;
  className?: string;
  /** Font size in diagram units (a class such as text-[11px] in `className` works too). */
  size?: number;
  bold?: boolean;
}

/** A party: its header and its lifeline from `top` down. */
export interface DiagramLane {
  key: string;
  x: number;
  label: string;
  detail?: string;
  /** Where the header is centred, if not on the lifeline. */
  headerX?: number;
  /** Shown on hover: the whole label where it was clipped. */
  title?: string;
}

/** An arrow from (x1, y1) to (x2, y2), with its labels. */
export interface DiagramArrow {
  key: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  colour: string;
  width?: number;
  dashed?: string;
  texts?: DiagramText[];
  title?: string;
  testId?: string;
  /** Extra data-* attributes for tests and styling hooks. */
  data?: Record<string, string>;
  onClick?(): void;
  /** A highlight band behind the row (the selected message). */
  band?: { y: number; height: number; colour: string };
}

/** A vertical bar (a request waiting inside a service). */
export interface DiagramBar {
  key: string;
  x: number;
  y1: number;
  y2: number;
  colour: string;
  width: number;
  opacity?: number;
  dashed?: string;
}

/** A labelled box (a note of the lab on its lane). */
export interface DiagramBox {
  key: string;
  x: number;
  y: number;
  width: number;
  height: number;
  colour: string;
  texts: DiagramText[];
  title?: string;
  testId?: string;
  data?: Record<string, string>;
  onClick?(): void;
  selected?: boolean;
}

export interface DiagramProps {
  width: number;
  height: number;
  /** 'fit': scale to the container's width (viewBox); 'pixels': one unit a CSS pixel, the container scrolls. */
  scale: 'fit' | 'pixels';
  label: string;
  lanes: DiagramLane[];
  /** Header baselines and where lifelines start; a lane label's further lines ('\n') `lineGap` apart. */
  header: { labelY: number; detailY: number; lineTop: number; labelSize?: number; detailSize?: number; lineGap?: number };
  arrows: DiagramArrow[];
  bars?: DiagramBar[];
  boxes?: DiagramBox[];
  lifeline?: { colour: string; width: number };
  testId?: string;
  children?: ReactNode;
}

const data = (attrs: Record<string, string> | undefined) => Object.fromEntries(Object.entries(attrs ?? {}).map(([k, v]) => [`data-${k}`, v]));

function Text({ t }: { t: DiagramText }) {
  return (
    <text x={t.x} y={t.y} textAnchor={t.anchor ?? 'start'} fill={t.colour} fontSize={t.size} fontWeight={t.bold ? 600 : undefined} className={t.className}>
      {t.text}
    </text>
  );
}

/** Clips a text to `max` characters with an ellipsis (SVG text does not wrap). */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text);

/** Draws a ladder. */
export function LadderDiagram(props: DiagramProps) {
  const prefix = useId().replace(/:/g, '');
  const colours = [...new Set(props.arrows.map((a) => a.colour))];
  const marker = (colour: string) => `url(#${prefix}-arrow-${colours.indexOf(colour)})`;
  const { header } = props;
  const lifeline = props.lifeline ?? { colour: '#475569', width: 2 };
  const sized = props.scale === 'pixels' ? { width: props.width, height: props.height } : { className: 'w-full' };
  return (
    <svg viewBox={`0 0 ${props.width} ${props.height}`} {...sized} role="img" aria-label={props.label} data-testid={props.testId}>
      <defs>
        {colours.map((c, i) => (
          <marker key={c} id={`${prefix}-arrow-${i}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" fill={c} />
          </marker>
        ))}
      </defs>
      {props.lanes.map((lane) => (
        <g key={lane.key} data-testid="ladder-lane">
          {lane.title && <title>{lane.title}</title>}
          {lane.label.split('\n').map((line, i) => (
            <text key={i} x={lane.headerX ?? lane.x} y={header.labelY + i * (header.lineGap ?? 0)} textAnchor="middle" fontSize={header.labelSize} className="fill-slate-200 font-semibold">
              {line}
            </text>
          ))}
          {lane.detail && (
            <text x={lane.headerX ?? lane.x} y={header.detailY} textAnchor="middle" fontSize={header.detailSize} className="fill-slate-400">
              {lane.detail}
            </text>
          )}
          <line x1={lane.x} x2={lane.x} y1={header.lineTop} y2={props.height - 4} stroke={lifeline.colour} strokeWidth={lifeline.width} />
        </g>
      ))}
      {props.bars?.map((b) => (
        <line key={b.key} x1={b.x} x2={b.x} y1={b.y1} y2={b.y2} stroke={b.colour} strokeWidth={b.width} strokeOpacity={b.opacity} strokeDasharray={b.dashed} />
      ))}
      {props.boxes?.map((b) => (
        <g key={b.key} data-testid={b.testId} {...data(b.data)} onClick={b.onClick} className={b.onClick ? 'cursor-pointer' : undefined}>
          {b.title && <title>{b.title}</title>}
          <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={4} fill={b.colour} fillOpacity={b.selected ? 0.35 : 0.15} stroke={b.colour} strokeWidth={b.selected ? 2 : 1} />
          {b.texts.map((t, i) => (
            <Text key={i} t={t} />
          ))}
        </g>
      ))}
      {props.arrows.map((a) => (
        <g key={a.key} data-testid={a.testId} {...data(a.data)} onClick={a.onClick} className={a.onClick ? 'cursor-pointer' : undefined}>
          {a.title && <title>{a.title}</title>}
          {a.band && <rect x={0} y={a.band.y} width={props.width} height={a.band.height} fill={a.band.colour} />}
          <line x1={a.x1} y1={a.y1} x2={a.x2} y2={a.y2} stroke={a.colour} strokeWidth={a.width ?? 1.5} strokeDasharray={a.dashed} markerEnd={marker(a.colour)} />
          {a.texts?.map((t, i) => (
            <Text key={i} t={t} />
          ))}
        </g>
      ))}
      {props.children}
    </svg>
  );
}
