// Progressive enhancement of the contact form in index.html.
//
// Without this script the browser posts the form (urlencoded) to /v1/cases and the server answers
// with its confirmation or error page. With it, the form is sent as JSON over fetch and:
// - every submission carries an Idempotency-Key (crypto.randomUUID()), made when the form is
//   shown and kept until a case is opened, so a double click, an automatic retry after a dropped
//   connection or the customer pressing Send again cannot open two cases;
// - the server's field issues (issues[].path) are shown next to each field and in a summary that
//   takes the focus;
// - the success panel shows the case reference and the promised times in the customer's locale.
// No innerHTML anywhere: the page runs under a strict CSP with Trusted Types.

/** Where an issue's path points: the control to focus, and the ids of its field and error elements. */
const FIELDS = {
  type: { control: 'type-inquiry', label: 'What can we help you with' },
  name: { control: 'name', label: 'Full name' },
  email: { control: 'email', label: 'Email address' },
  phone: { control: 'phone', label: 'Phone number' },
  orderReference: { control: 'orderReference', label: 'Order number' },
  subject: { control: 'subject', label: 'Subject' },
  message: { control: 'message', label: 'Message' },
  privacyConsent: { control: 'privacyConsent', label: 'Privacy consent' },
};

/** Pauses before the automatic retries of a request whose answer never came (or was a 5xx). */
const RETRY_DELAYS_MS = [1000, 3000];
const ATTEMPT_TIMEOUT_MS = 20000;
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

const $ = (id) => document.getElementById(id);

/** A UUID v4; crypto.randomUUID() needs a secure context, so plain-HTTP hosts get the same from getRandomValues. */
function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The customer's locale and time zone, with the zone named: "Wednesday 25 November at 14:05 CET". */
function formatDue(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso ?? '');
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(date);
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** Seconds from a Retry-After header, capped so a customer is never left waiting long. */
function retryAfterMs(response) {
  const seconds = Number(response?.headers.get('Retry-After'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) * 1000 : undefined;
}

function enhance(form) {
  const keyInput = form.elements.namedItem('idempotencyKey');
  const button = $('submit-button');
  const buttonLabel = button.querySelector('.button__label');
  const idleLabel = buttonLabel.textContent;
  const status = $('form-status');
  const summary = $('error-summary');
  const summaryText = $('error-summary-text');
  const summaryList = $('error-summary-list');
  const intro = $('intro');
  const success = $('success');
  const pageTitle = document.title;

  let sending = false;
  /** The last request whose outcome is unknown (no answer came): the server may have opened a case for it. */
  let unanswered;

  // The server is the single source of validation rules: its messages are shown inline.
  form.noValidate = true;
  keyInput.value = newIdempotencyKey();

  function readForm() {
    const data = new FormData(form);
    const text = (name) => String(data.get(name) ?? '');
    return {
      type: text('type') || 'inquiry',
      name: text('name'),
      email: text('email'),
      phone: text('phone'),
      orderReference: text('orderReference'),
      subject: text('subject'),
      message: text('message'),
      privacyConsent: form.elements.namedItem('privacyConsent').checked,
    };
  }

  /**
   * Posts the JSON body, retrying with the same Idempotency-Key when no answer comes back or the
   * service is briefly unavailable. Resolves to what the customer needs to know, never throws.
   */
  async function send(body, key) {
    for (let attempt = 0; ; attempt += 1) {
      let response;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), ATTEMPT_TIMEOUT_MS);
      try {
        response = await fetch(form.action, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': key },
          body,
          credentials: 'same-origin',
          signal: controller.signal,
        });
      } catch {
        response = undefined; // offline, connection reset or timed out: the case may or may not exist
      } finally {
        clearTimeout(timer);
      }
      if (response && !RETRYABLE_STATUS.has(response.status)) return interpret(response);
      if (attempt >= RETRY_DELAYS_MS.length) return { kind: 'unanswered' };
      setStatus('The connection was interrupted. Trying again…');
      await wait(retryAfterMs(response) ?? RETRY_DELAYS_MS[attempt]);
    }
  }

  async function interpret(response) {
    const data = await readJson(response);
    if (response.status === 201 || response.status === 200) {
      if (data && typeof data.reference === 'string') return { kind: 'created', data };
      return { kind: 'failed', error: 'We could not read the answer from our server.' };
    }
    if (response.status === 400 && Array.isArray(data?.issues)) return { kind: 'invalid', error: data.error, issues: data.issues };
    if (response.status === 413) {
      return { kind: 'invalid', error: 'Your request is too large.', issues: [{ path: 'message', message: 'Your message is too long. Please shorten it.' }] };
    }
    if (response.status === 422) return { kind: 'key-reused' };
    return { kind: 'failed', error: typeof data?.error === 'string' ? data.error : `Our server answered with an error (${response.status}).` };
  }

  function setStatus(text) {
    status.textContent = text;
  }

  function setSending(on) {
    sending = on;
    button.disabled = on;
    form.setAttribute('aria-busy', String(on));
    buttonLabel.textContent = on ? 'Sending…' : idleLabel;
    if (on) setStatus('Sending your request…');
  }

  function controlsOf(path) {
    return path === 'type' ? Array.from(form.querySelectorAll('input[name="type"]')) : [$(FIELDS[path].control)];
  }

  function clearErrors() {
    summary.hidden = true;
    summaryText.textContent = '';
    summaryList.replaceChildren();
    for (const path of Object.keys(FIELDS)) {
      const error = $(`${path}-error`);
      error.hidden = true;
      error.replaceChildren();
      $(`${path}-field`).classList.remove('field--error');
      for (const control of controlsOf(path)) control.removeAttribute('aria-invalid');
    }
  }

  /** Inline messages next to each named field, and the summary at the top, which takes the focus. */
  function showErrors(text, issues = []) {
    clearErrors();
    const shown = new Set();
    for (const issue of issues) {
      const path = String(issue?.path ?? '');
      const message = String(issue?.message ?? 'Check this field');
      const item = document.createElement('li');
      if (Object.hasOwn(FIELDS, path)) {
        if (!shown.has(path)) {
          shown.add(path);
          const error = $(`${path}-error`);
          const prefix = document.createElement('span');
          prefix.className = 'visually-hidden';
          prefix.textContent = 'Error: ';
          error.replaceChildren(prefix, message);
          error.hidden = false;
          $(`${path}-field`).classList.add('field--error');
          for (const control of controlsOf(path)) control.setAttribute('aria-invalid', 'true');
        }
        const link = document.createElement('a');
        link.href = `#${FIELDS[path].control}`;
        link.dataset.path = path;
        link.textContent = message;
        item.append(link);
      } else {
        item.textContent = message;
      }
      summaryList.append(item);
    }
    summaryText.textContent = text;
    summaryText.hidden = !text;
    summary.hidden = false;
    setStatus('');
    summary.focus();
  }

  summaryList.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-path]') : null;
    if (!link) return;
    event.preventDefault();
    const path = link.dataset.path;
    const checked = path === 'type' ? form.querySelector('input[name="type"]:checked') : null;
    $(`${path}-field`).scrollIntoView({ block: 'center' });
    (checked ?? $(FIELDS[path].control)).focus({ preventScroll: true });
  });

  function showSuccess(data, email, note) {
    const kind = data.type === 'complaint' ? 'complaint' : 'request';
    $('success-title').textContent = `Thank you, we have your ${kind}`;
    $('success-reference').textContent = data.reference;
    $('success-email').textContent = email;
    for (const [id, iso] of [['acknowledgement-due', data.acknowledgementDueAt], ['initial-response-due', data.initialResponseDueAt]]) {
      const time = $(id);
      time.dateTime = String(iso ?? '');
      time.textContent = formatDue(iso);
    }
    $('success-complaint-note').hidden = data.type !== 'complaint';
    const earlier = $('success-earlier-note');
    earlier.hidden = !note;
    earlier.textContent = note ?? '';
    clearErrors();
    setStatus('');
    intro.hidden = true;
    form.hidden = true;
    success.hidden = false;
    document.title = `Case ${data.reference} – ${pageTitle}`;
    success.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return; // a second click or Enter while the first request is on its way
    const fields = readForm();
    const body = JSON.stringify(fields);
    if (!keyInput.value) keyInput.value = newIdempotencyKey();
    const key = keyInput.value;
    setSending(true);
    try {
      const outcome = await send(body, key);
      switch (outcome.kind) {
        case 'created':
          unanswered = undefined;
          showSuccess(outcome.data, fields.email);
          return;
        case 'invalid':
          showErrors(outcome.error ?? 'Some fields are missing or invalid.', outcome.issues);
          return;
        case 'unanswered':
          unanswered = { key, body };
          showErrors('We did not get an answer from our server, so we cannot tell whether your request arrived. Check your connection and press “Send your request” again: we will not open a second case for it.');
          return;
        case 'key-reused': {
          // An earlier attempt whose answer was lost did open a case, and the form was changed since.
          // Replaying that attempt with its key returns the case it opened, without a second one.
          const previous = unanswered?.key === key ? unanswered : undefined;
          unanswered = undefined;
          const earlier = previous ? await send(previous.body, key) : undefined;
          if (earlier?.kind === 'created') {
            showSuccess(
              earlier.data,
              JSON.parse(previous.body).email,
              'We had already received your request before the connection was interrupted. Changes you made after that were not sent: reply to the confirmation email to add them.',
            );
            return;
          }
          keyInput.value = newIdempotencyKey();
          showErrors('We may already have received an earlier version of this request. Please check your email for a confirmation with a case reference before you send it again.');
          return;
        }
        default:
          showErrors(`${outcome.error} Please try again in a moment.`);
      }
    } finally {
      setSending(false);
    }
  });

  $('submit-another').addEventListener('click', () => {
    form.reset();
    keyInput.value = newIdempotencyKey();
    unanswered = undefined;
    clearErrors();
    success.hidden = true;
    intro.hidden = false;
    form.hidden = false;
    document.title = pageTitle;
    $('type-inquiry').focus();
  });
}

const contactForm = document.getElementById('contact-form');
if (contactForm && typeof window.fetch === 'function') enhance(contactForm);
