import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import type { MonthlyReportAnswer } from '../api/types';
import { formatDateTime } from '../logic/format';
import { checkReportMonth, lastEndedMonth, monthLabel } from '../logic/reports';
import { SERVER_CLOCK } from '../logic/server-clock';
import { useServices } from './services';

/**
 * The monthly compliance report (docs/reports.md), for supervisors, the feedback team and auditors:
 * a month asked for, its report found (or made when there is none yet), and links to open it. The
 * page opens in a new tab from the exports bucket: self-contained, it runs nothing there.
 */
export function ReportsScreen() {
  const { api } = useServices();
  const [month, setMonth] = useState(() => lastEndedMonth(SERVER_CLOCK.now()));
  const [fieldError, setFieldError] = useState<string>();
  const [busy, setBusy] = useState<'finding' | 'making'>();
  const [answer, setAnswer] = useState<MonthlyReportAnswer>();
  const [error, setError] = useState<string>();
  const resultHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = 'Reports · caseflow console';
  }, []);
  useEffect(() => {
    if (answer || error) resultHeading.current?.focus();
  }, [answer, error]);

  const run = async (remake: boolean) => {
    const problem = checkReportMonth(month, SERVER_CLOCK.now());
    setFieldError(problem);
    if (problem) return;
    setAnswer(undefined);
    setError(undefined);
    try {
      setBusy(remake ? 'making' : 'finding');
      let found = remake ? undefined : await api.monthlyReport(month);
      if (!found) {
        setBusy('making');
        found = await api.makeMonthlyReport(month);
      }
      setAnswer(found);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section aria-labelledby="reports-heading">
      <h1 id="reports-heading">Reports</h1>
      <p class="hint">
        The monthly compliance report: daily volumes, SLA attainment against target, response times, escalations, breach reasons, month over month, and the compliance exports as evidence. It is
        made once a month has ended; made again, its figures are as of then.
      </p>
      <form
        class="action-form"
        aria-labelledby="report-month-heading"
        onSubmit={(e) => {
          e.preventDefault();
          void run(false);
        }}
      >
        <h2 id="report-month-heading">Monthly report</h2>
        <div class="field-block">
          <label for="report-month">Month</label>
          <input
            id="report-month"
            type="month"
            value={month}
            max={lastEndedMonth(SERVER_CLOCK.now())}
            disabled={busy !== undefined}
            aria-invalid={fieldError ? 'true' : undefined}
            aria-describedby={fieldError ? 'report-month-error' : undefined}
            onInput={(e) => {
              setMonth(e.currentTarget.value);
              if (fieldError) setFieldError(undefined);
            }}
          />
          {fieldError && (
            <p id="report-month-error" class="field-error">
              {fieldError}
            </p>
          )}
        </div>
        <div class="form-buttons">
          <button type="submit" class="primary" disabled={busy !== undefined}>
            Get the report
          </button>
        </div>
        {busy && <p role="status">{busy === 'making' ? `Making the report of ${monthLabel(month)}…` : 'Looking for the report…'}</p>}
      </form>

      {error && (
        <section class="action-form result" aria-labelledby="report-result-heading">
          <h2 id="report-result-heading" ref={resultHeading} tabIndex={-1}>
            No report
          </h2>
          <p role="alert" class="alert">
            {error}
          </p>
        </section>
      )}
      {answer && (
        <section class="action-form result" aria-labelledby="report-result-heading">
          <h2 id="report-result-heading" ref={resultHeading} tabIndex={-1}>
            {monthLabel(answer.report.month)}
          </h2>
          <p>Figures as of {formatDateTime(answer.report.asOf)}. The links work for 15 minutes.</p>
          <ul>
            <li>
              <a href={answer.links.html.url} target="_blank" rel="noopener noreferrer">
                Open the report of {monthLabel(answer.report.month)}
              </a>
            </li>
            {answer.links.pdf && (
              <li>
                <a href={answer.links.pdf.url} target="_blank" rel="noopener noreferrer">
                  The report as PDF
                </a>
              </li>
            )}
            <li>
              <a href={answer.links.json.url} target="_blank" rel="noopener noreferrer">
                The figures (JSON)
              </a>
            </li>
          </ul>
          {answer.report.pdfNotProduced && <p class="hint">{answer.report.pdfNotProduced}: print the page from the browser, or make the report where Chromium runs (docs/reports.md).</p>}
          <div class="form-buttons">
            <button type="button" disabled={busy !== undefined} onClick={() => void run(true)}>
              Make it again with the figures as of now
            </button>
          </div>
        </section>
      )}
    </section>
  );
}
