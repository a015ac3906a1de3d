// The suite's closing table: each scenario adds how many cases it ran and how many failed. A
// failed case also fails its test; the table is the one-screen summary printed at the very end.

export interface Row {
  scenario: string;
  cases: number;
  failures: number;
  note: string;
}

const rows = new Map<string, Row>();

export function tally(scenario: string, cases: number, failures = 0, note?: string): void {
  const row = rows.get(scenario) ?? { scenario, cases: 0, failures: 0, note: '' };
  row.cases += cases;
  row.failures += failures;
  if (note !== undefined) row.note = note;
  rows.set(scenario, row);
}

export function summaryTable(): string {
  const list = [...rows.values()];
  const total: Row = {
    scenario: 'total',
    cases: list.reduce((n, r) => n + r.cases, 0),
    failures: list.reduce((n, r) => n + r.failures, 0),
    note: '',
  };
  const all = [...list, total];
  const w0 = Math.max(8, ...all.map((r) => r.scenario.length));
  const w1 = Math.max(5, ...all.map((r) => String(r.cases).length));
  const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(w0)}  ${b.padStart(w1)}  ${c.padStart(8)}  ${d}`;
  const out = [line('scenario', 'cases', 'failures', 'notes'), line('-'.repeat(w0), '-'.repeat(w1), '--------', '-----')];
  for (const r of list) out.push(line(r.scenario, String(r.cases), String(r.failures), r.note));
  out.push(line('-'.repeat(w0), '-'.repeat(w1), '--------', ''));
  out.push(line(total.scenario, String(total.cases), String(total.failures), ''));
  return out.join('\n');
}
