import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import type { PerformanceReview } from '../api/types';
import { figureTables, monthOptions, picksRepresentative, reportTarget } from '../logic/performance';
import { SERVER_CLOCK } from '../logic/server-clock';
import { useServices } from './services';

/**
 * Performance reviews (C7.3, M6.2; docs/performance-reviews.md): supervisors, the feedback team and
 * auditors pick a representative (their staff id) and a month; a representative sees their own.
 * The attention points come first, then the figures in tables.
 */
export function PerformanceScreen() {
  const { api, session } = useServices();
  const months = monthOptions(SERVER_CLOCK.now());
  const [month, setMonth] = useState(months[0]?.value ?? '');
  const [picked, setPicked] = useState('');
  const [asked, setAsked] = useState<string>();
  const [report, setReport] = useState<PerformanceReview>();
  const [error, setError] = useState<string>();
  const picks = picksRepresentative(session);
  const target = reportTarget(session, picks ? asked : undefined);
  const period = months.find((m) => m.value === month);

  useEffect(() => {
    document.title = 'Performance · caseflow console';
  }, []);
  useEffect(() => {
    if (!target || !period) return undefined;
    let live = true;
    setError(undefined);
    setReport(undefined);
    api.performanceReview(target, { from: period.from, to: period.to }).then(
      (r) => live && setReport(r),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, target, period?.from, period?.to]);

  return (
    <section aria-labelledby="perf-heading">
      <h1 id="perf-heading">Performance</h1>
      <form
        class="field-block"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(picked);
        }}
      >
        {picks && (
          <>
            <label for="perf-staff">Representative (staff id)</label>
            <input id="perf-staff" value={picked} onInput={(e) => setPicked(e.currentTarget.value)} />
          </>
        )}
        <label for="perf-month">Month</label>
        <select id="perf-month" value={month} onChange={(e) => setMonth(e.currentTarget.value)}>
          {months.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
        {picks && <button type="submit">Show</button>}
      </form>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {report && (
        <>
          <h2>Attention points</h2>
          {report.attention.length === 0 ? (
            <p role="status">None.</p>
          ) : (
            <ul aria-label="Attention points">
              {report.attention.map((p) => (
                <li key={`${p.rule}-${p.figure}`}>{p.message}</li>
              ))}
            </ul>
          )}
          {figureTables(report).map((t) => (
            <table key={t.title}>
              <caption>{t.title}</caption>
              <tbody>
                {t.rows.map((r) => (
                  <tr key={r.label}>
                    <th scope="row">{r.label}</th>
                    <td>{r.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </>
      )}
    </section>
  );
}
