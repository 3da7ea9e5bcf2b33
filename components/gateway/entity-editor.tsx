'use client';

import { useState, type ReactNode } from 'react';
import type { InputOf, Table } from './api';
import type { AccessState } from './use-access';

/** One form field of an editor: text, one choice, or several. */
export type Field =
  | { key: string; label: string; kind: 'text' }
  | { key: string; label: string; kind: 'select'; options: readonly (readonly [string, string])[] }
  | { key: string; label: string; kind: 'multi'; options: readonly (readonly [string, string])[] };

export type FormValues = Record<string, string | string[]>;

/** What an editor needs to know of its table. */
export interface EditorSpec<Row extends { id: number }> {
  table: Table;
  rows: Row[];
  fields: Field[];
  /** The form's values for a row (or a new one). */
  toForm(row?: Row): FormValues;
  toBody(form: FormValues): InputOf<Table>;
  describe(row: Row): ReactNode;
  /** One-click actions on a row (suspend a subscription). */
  actions?(row: Row): ReactNode;
  /** Name of a row in the delete button's label. */
  name(row: Row): string;
}

const input = 'w-full rounded border border-slate-700 bg-slate-950 px-2 py-1 text-xs text-slate-100';
const small = 'rounded border border-slate-600 px-2 py-0.5 text-xs hover:border-slate-400 disabled:opacity-40';

/** A compact list of a table's rows with Edit/Delete, and one inline form for a new or edited row. */
export function EntityEditor<Row extends { id: number }>({ spec, access }: { spec: EditorSpec<Row>; access: AccessState }) {
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [form, setForm] = useState<FormValues>({});
  const open = (row?: Row) => {
    setForm(spec.toForm(row));
    setEditing(row ? row.id : 'new');
  };
  const save = async () => {
    const body = spec.toBody(form);
    const ok = await access.change(editing === 'new' ? { kind: 'create', table: spec.table, body } : { kind: 'update', table: spec.table, id: editing as number, body });
    if (ok) setEditing(null);
  };

  const formView = (
    <form
      className="space-y-2 rounded border border-sky-900 bg-slate-950/60 p-2"
      data-testid="entity-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {spec.fields.map((f) => (
        <FieldInput key={f.key} field={f} value={form[f.key]} onChange={(v) => setForm((old) => ({ ...old, [f.key]: v }))} />
      ))}
      <div className="flex gap-2">
        <button type="submit" className={`${small} border-sky-600 text-sky-100`} disabled={access.busy}>
          Save
        </button>
        <button type="button" className={small} onClick={() => setEditing(null)}>
          Cancel
        </button>
      </div>
    </form>
  );

  return (
    <div className="space-y-1 text-sm" data-testid={`editor-${spec.table}`}>
      {spec.rows.map((row) =>
        editing === row.id ? (
          <div key={row.id}>{formView}</div>
        ) : (
          <div key={row.id} className="flex items-start gap-2 border-b border-slate-800 py-1" data-testid="entity-row">
            <div className="min-w-0 flex-1">{spec.describe(row)}</div>
            <div className="flex shrink-0 gap-1">
              {spec.actions?.(row)}
              <button className={small} onClick={() => open(row)} aria-label={`Edit ${spec.name(row)}`}>
                Edit
              </button>
              <button className={`${small} text-rose-200`} disabled={access.busy} onClick={() => void access.change({ kind: 'remove', table: spec.table, id: row.id })} aria-label={`Delete ${spec.name(row)}`}>
                ✕
              </button>
            </div>
          </div>
        ),
      )}
      {editing === 'new' ? (
        formView
      ) : (
        <button className={`${small} mt-1`} onClick={() => open()}>
          + New
        </button>
      )}
    </div>
  );
}

function FieldInput({ field, value, onChange }: { field: Field; value: string | string[] | undefined; onChange(v: string | string[]): void }) {
  if (field.kind === 'text') {
    return (
      <label className="block text-xs text-slate-400">
        {field.label}
        <input className={input} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} aria-label={field.label} />
      </label>
    );
  }
  if (field.kind === 'select') {
    return (
      <label className="block text-xs text-slate-400">
        {field.label}
        <select className={input} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} aria-label={field.label}>
          {field.options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      </label>
    );
  }
  const chosen = new Set(Array.isArray(value) ? value : []);
  return (
    <fieldset className="text-xs text-slate-400">
      <legend>{field.label}</legend>
      <div className="grid max-h-32 grid-cols-2 gap-x-2 overflow-y-auto">
        {field.options.map(([v, text]) => (
          <label key={v} className="flex items-center gap-1 truncate text-slate-200">
            <input
              type="checkbox"
              checked={chosen.has(v)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.target.checked) next.add(v);
                else next.delete(v);
                onChange([...next]);
              }}
            />
            <span className="truncate font-mono">{text}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
