// plandir member-service page: two lookups over the public FHIR API, state in the query string.
const PLAN_NET = 'http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/';
const USDF = 'http://hl7.org/fhir/us/davinci-drug-formulary/StructureDefinition/';
const NUCC = 'http://nucc.org/provider-taxonomy';
const KM_PER_MILE = 1.609344;
const PAGE = 10;

const $ = (id) => document.getElementById(id);
const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'text') node.textContent = value;
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
};

/** A 4xx/5xx from the API, with the OperationOutcome's text. */
class ApiError extends Error {}

async function getJSON(url) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/fhir+json, application/json' } });
  } catch (error) {
    throw new ApiError(`The directory could not be reached (${error.message}).`);
  }
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  if (!response.ok) {
    const issues = body && body.resourceType === 'OperationOutcome' ? body.issue || [] : [];
    const text = issues.map((i) => i.diagnostics || i.details?.text || i.code).filter(Boolean).join('; ');
    const error = new ApiError(text || (body && body.error) || `The directory answered ${response.status}.`);
    error.status = response.status;
    throw error;
  }
  return body;
}

/** The path and query of a link the server wrote, so paging stays on this origin. */
const local = (link) => { const u = new URL(link, location.href); return u.pathname + u.search; };

const extensions = (resource, url) => (resource?.extension || []).filter((e) => e.url === url);
const codings = (concept) => concept?.coding || [];
const display = (concept) => concept?.text || codings(concept).map((c) => c.display || c.code).find(Boolean) || '';
const formatDate = (instant) => (instant ? instant.slice(0, 10) : 'unknown');

function bundleParts(bundle, into = new Map()) {
  const matches = [];
  for (const entry of bundle.entry || []) {
    const resource = entry.resource;
    if (!resource?.resourceType) continue;
    if (entry.search?.mode === 'match') matches.push(entry);
    else into.set(`${resource.resourceType}/${resource.id}`, resource);
  }
  return { matches, included: into };
}

// ---------- field errors and announcements ----------

function setFieldError(id, message) {
  const input = $(id);
  const error = $(`${id}-error`);
  if (message) {
    error.textContent = message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
  } else {
    error.textContent = '';
    error.hidden = true;
    input.removeAttribute('aria-invalid');
  }
}

function announce(text) {
  const status = $('status');
  status.textContent = '';
  // A fresh node change, so screen readers announce a repeat of the same words too.
  setTimeout(() => { status.textContent = text; }, 50);
}

function showAlert(id, message) {
  const alert = $(id);
  alert.textContent = message || '';
  alert.hidden = !message;
}

// ---------- provider search ----------

let specialties = [];
const provider = { next: null, included: new Map(), count: 0, total: null, where: '' };

async function loadSpecialties() {
  try {
    specialties = await getJSON('/web/specialties.json');
    const list = $('specialty-list');
    for (const s of specialties) list.append(el('option', { value: s.display }));
  } catch { specialties = []; }
}

async function loadNetworks() {
  try {
    const bundle = await getJSON('/fhir/Organization?type=ntwk&_count=200&_elements=name');
    const select = $('network');
    for (const entry of bundle.entry || []) {
      const org = entry.resource;
      select.append(el('option', { value: `Organization/${org.id}`, text: org.name || org.id }));
    }
  } catch { /* the filter stays at "Any" */ }
}

function specialtyParameter(text) {
  const value = text.trim();
  if (!value) return null;
  const found = specialties.find((s) => s.display.toLowerCase() === value.toLowerCase() || s.code === value);
  return found ? ['specialty', `${NUCC}|${found.code}`] : ['specialty:text', value];
}

function providerFormState() {
  const form = $('provider-form');
  const state = new URLSearchParams();
  for (const name of ['q', 'specialty', 'zip', 'city', 'state', 'language', 'gender', 'network', 'kind']) {
    const value = form.elements[name].value.trim();
    if (value) state.set(name, value);
  }
  if (state.has('zip')) state.set('radius', form.elements.radius.value);
  for (const name of ['newpt', 'access', 'tele']) if (form.elements[name].checked) state.set(name, '1');
  return state;
}

function fillProviderForm(state) {
  const form = $('provider-form');
  for (const name of ['q', 'specialty', 'zip', 'city', 'state', 'language', 'gender', 'network', 'kind', 'radius']) {
    if (state.has(name)) form.elements[name].value = state.get(name);
  }
  for (const name of ['newpt', 'access', 'tele']) form.elements[name].checked = state.get(name) === '1';
}

function validateProvider(state) {
  const errors = {};
  const zip = state.get('zip');
  if (zip && !/^\d{5}(-\d{4})?$/.test(zip)) errors.zip = `A ZIP code is five digits (or ZIP+4): "${zip}" is not one.`;
  const st = state.get('state');
  if (st && !/^[A-Za-z]{2}$/.test(st)) errors.state = 'Use the two-letter state code, for example CT.';
  const criteria = ['q', 'specialty', 'zip', 'city', 'state'].some((n) => state.has(n));
  if (!criteria) errors.q = 'Enter a name, a specialty, a ZIP code or a city.';
  for (const id of ['q', 'zip', 'state']) setFieldError(id, errors[id]);
  return Object.keys(errors);
}

async function providerQuery(state) {
  const params = new URLSearchParams();
  let where = '';
  if (state.has('q')) params.append('_content', state.get('q'));
  const specialty = specialtyParameter(state.get('specialty') || '');
  if (specialty) params.append(...specialty);
  if (state.has('zip')) {
    const zip = state.get('zip').slice(0, 5);
    let point;
    try {
      point = await getJSON(`/web/geo/zip/${zip}`);
    } catch (error) {
      setFieldError('zip', error.status === 404 ? `No location is known for ZIP ${zip}.` : error.message);
      return null;
    }
    const miles = Number(state.get('radius') || '10');
    params.append('location.near', `${point.latitude}|${point.longitude}|${miles}|[mi_i]`);
    where = ` within ${miles} mile${miles === 1 ? '' : 's'} of ${zip}`;
  }
  if (state.has('city')) {
    params.append('location.address-city', state.get('city'));
    where += ` in ${state.get('city')}`;
  }
  if (state.has('state')) {
    params.append('location.address-state', state.get('state').toUpperCase());
    where += state.has('city') ? `, ${state.get('state').toUpperCase()}` : ` in ${state.get('state').toUpperCase()}`;
  }
  if (state.get('newpt') === '1') params.append('new-patient', 'newpt');
  if (state.get('access') === '1') params.append('location.accessibility', 'handiaccess');
  if (state.get('tele') === '1') params.append('service.delivery-method', 'virtual');
  if (state.has('language')) params.append('practitioner.communication', state.get('language'));
  if (state.has('gender')) params.append('practitioner.gender', state.get('gender'));
  if (state.has('network')) params.append('network', state.get('network'));
  const kind = state.get('kind');
  if (kind?.startsWith('role:')) params.append('role', kind.slice(5));
  if (kind?.startsWith('loc:')) params.append('location.type', kind.slice(4));
  for (const include of ['practitioner', 'location', 'organization', 'network']) {
    params.append('_include', `PractitionerRole:${include}`);
  }
  params.append('_count', String(PAGE));
  params.append('_total', 'accurate');
  return { url: `/fhir/PractitionerRole?${params}`, where };
}

const ACCEPTING = {
  newpt: 'Accepting new patients',
  existptonly: 'Existing patients only',
  nopt: 'Not accepting patients',
  existptofm: 'Existing patients and their family members',
};

function accepting(resource) {
  const outer = extensions(resource, `${PLAN_NET}newpatients`)[0];
  const inner = (outer?.extension || []).find((e) => e.url === 'acceptingPatients');
  const code = codings(inner?.valueCodeableConcept)[0]?.code;
  return code ? ACCEPTING[code] || code : 'Not stated';
}

function personName(practitioner) {
  const name = practitioner?.name?.[0];
  if (!name) return practitioner ? `Practitioner ${practitioner.id}` : 'Unknown provider';
  const text = name.text || [...(name.prefix || []), ...(name.given || []), name.family, ...(name.suffix || [])]
    .filter(Boolean).join(' ');
  const credentials = (practitioner.qualification || []).map((q) => codings(q.code)[0]?.code || q.code?.text)
    .filter(Boolean);
  return credentials.length ? `${text}, ${credentials.join(', ')}` : text;
}

const npiOf = (practitioner) =>
  (practitioner?.identifier || []).find((i) => i.system === 'http://hl7.org/fhir/sid/us-npi')?.value || '';
const languagesOf = (practitioner) =>
  (practitioner?.communication || []).map((c) => display(c)).filter(Boolean).join(', ') || 'Not stated';
const addressText = (address) => {
  if (!address) return 'No address';
  if (address.text) return address.text;
  return [...(address.line || []), address.city, [address.state, address.postalCode].filter(Boolean).join(' ')]
    .filter(Boolean).join(', ');
};
const phoneOf = (...resources) => {
  for (const r of resources) {
    const phone = (r?.telecom || []).find((t) => t.system === 'phone')?.value;
    if (phone) return phone;
  }
  return '';
};
const miles = (km) => `${(km / KM_PER_MILE).toFixed(1)} mi`;
const distanceOf = (entry) => {
  const ext = (entry.search?.extension || []).find(
    (e) => e.url === 'http://hl7.org/fhir/StructureDefinition/location-distance');
  return ext ? ext.valueDistance.value : null;
};

function fact(list, term, ...value) {
  list.append(el('dt', { text: term }), el('dd', {}, ...value));
}

function copyButton(text, label) {
  const button = el('button', { type: 'button', class: 'secondary', 'aria-label': label, text: 'Copy' });
  button.addEventListener('click', async () => {
    const ok = await copyText(text);
    button.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => { button.textContent = 'Copy'; }, 2000);
  });
  return button;
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function providerCard(entry, included) {
  const role = entry.resource;
  const practitioner = included.get(role.practitioner?.reference);
  const organization = included.get(role.organization?.reference);
  const locations = (role.location || []).map((l) => included.get(l.reference)).filter(Boolean);
  const networks = extensions(role, `${PLAN_NET}network-reference`)
    .map((e) => included.get(e.valueReference?.reference)?.name || e.valueReference?.display || e.valueReference?.reference)
    .filter(Boolean);
  const km = distanceOf(entry);
  const phone = phoneOf(role, ...locations);
  const npi = npiOf(practitioner);
  const headingId = `role-${role.id}`;
  const item = el('li', { 'aria-labelledby': headingId });
  item.append(el('h4', { id: headingId, text: personName(practitioner) }));
  const facts = el('dl', { class: 'facts' });
  fact(facts, 'Specialty', (role.specialty || []).map(display).filter(Boolean).join(', ') || 'Not stated');
  fact(facts, 'Organization', organization?.name || 'Not stated');
  const place = locations[0];
  fact(facts, 'Address', addressText(place?.address) + (km !== null ? ` (${miles(km)})` : ''));
  fact(facts, 'Phone', phone ? el('a', { href: `tel:${phone.replace(/[^\d+]/g, '')}`, text: phone }) : 'Not stated');
  fact(facts, 'New patients', `${accepting(role)}${place ? ' at this location' : ''}`);
  fact(facts, 'Languages', languagesOf(practitioner));
  fact(facts, 'Networks', networks.join(', ') || 'Not stated');
  fact(facts, 'NPI', npi ? el('span', {}, `${npi} `, copyButton(npi, `Copy NPI ${npi}`)) : 'Not stated');
  item.append(facts);
  item.append(el('p', { class: 'meta', text: `Directory data as of ${formatDate(role.meta?.lastUpdated)}` }));
  const details = el('button', { type: 'button', class: 'secondary', text: 'Details and all locations' });
  details.setAttribute('aria-describedby', headingId);
  details.addEventListener('click', () => openDetail(role, practitioner, details));
  item.append(details);
  return item;
}

async function runProviderSearch(state, { push = true } = {}) {
  showAlert('provider-alert', '');
  if (validateProvider(state).length) {
    const first = ['q', 'zip', 'state'].find((id) => $(id).getAttribute('aria-invalid') === 'true');
    if (first) $(first).focus();
    return;
  }
  const query = await providerQuery(state);
  if (!query) { $('zip').focus(); return; }
  if (push) history.replaceState(null, '', `?${mergeState(state, 'provider')}`);
  const list = $('provider-results');
  const title = $('provider-results-title');
  list.replaceChildren();
  $('provider-more').hidden = true;
  try {
    const bundle = await getJSON(query.url);
    provider.included = new Map();
    const { matches } = bundleParts(bundle, provider.included);
    for (const entry of matches) list.append(providerCard(entry, provider.included));
    provider.next = (bundle.link || []).find((l) => l.relation === 'next')?.url || null;
    provider.total = bundle.total ?? matches.length;
    provider.count = matches.length;
    $('provider-more').hidden = !provider.next;
    const noun = provider.total === 1 ? 'provider' : 'providers';
    const summary = provider.total === 0 ? `No providers found${query.where}` : `${provider.total} ${noun}${query.where}`;
    title.textContent = summary;
    title.hidden = false;
    announce(summary);
    title.focus();
  } catch (error) {
    title.hidden = true;
    showAlert('provider-alert', `The search failed: ${error.message}`);
    $('provider-alert').focus?.();
  }
}

async function moreProviders() {
  if (!provider.next) return;
  const list = $('provider-results');
  const before = list.children.length;
  try {
    const bundle = await getJSON(local(provider.next));
    const { matches } = bundleParts(bundle, provider.included);
    for (const entry of matches) list.append(providerCard(entry, provider.included));
    provider.next = (bundle.link || []).find((l) => l.relation === 'next')?.url || null;
    $('provider-more').hidden = !provider.next;
    announce(`${matches.length} more providers shown`);
    list.children[before]?.querySelector('h4')?.setAttribute('tabindex', '-1');
    list.children[before]?.querySelector('h4')?.focus();
  } catch (error) {
    showAlert('provider-alert', `Loading more failed: ${error.message}`);
  }
}

// ---------- provider detail ----------

let detailOpener = null;

function hoursText(hours) {
  if (!hours?.length) return 'Hours not stated';
  return hours.map((h) => {
    const days = (h.daysOfWeek || []).join(', ');
    if (h.allDay) return `${days}: all day`;
    const open = (h.openingTime || h.availableStartTime || '').slice(0, 5);
    const close = (h.closingTime || h.availableEndTime || '').slice(0, 5);
    return `${days}: ${open}–${close}`;
  }).join('; ');
}

async function openDetail(role, practitioner, opener) {
  detailOpener = opener;
  const body = $('detail-body');
  body.replaceChildren(el('p', { text: 'Loading…' }));
  $('detail-title').textContent = personName(practitioner);
  $('detail-copied').textContent = '';
  $('detail').showModal();
  const lines = [personName(practitioner)];
  const npi = npiOf(practitioner);
  if (npi) lines.push(`NPI ${npi}`);
  try {
    const reference = role.practitioner?.reference;
    const url = reference
      ? `/fhir/PractitionerRole?practitioner=${encodeURIComponent(reference)}&_include=PractitionerRole:location&_include=PractitionerRole:organization&_count=100`
      : `/fhir/PractitionerRole?_id=${encodeURIComponent(role.id)}&_include=PractitionerRole:location&_include=PractitionerRole:organization`;
    const { matches, included } = bundleParts(await getJSON(url));
    const list = el('ul', { class: 'cards' });
    for (const entry of matches) {
      const r = entry.resource;
      for (const ref of r.location || []) {
        const loc = included.get(ref.reference);
        if (!loc) continue;
        const phone = phoneOf(loc, r);
        const item = el('li');
        item.append(el('h3', { text: loc.name || 'Location' }));
        const facts = el('dl', { class: 'facts' });
        fact(facts, 'Address', addressText(loc.address));
        fact(facts, 'Phone', phone ? el('a', { href: `tel:${phone.replace(/[^\d+]/g, '')}`, text: phone }) : 'Not stated');
        fact(facts, 'Hours', hoursText(loc.hoursOfOperation));
        fact(facts, 'Specialty', (r.specialty || []).map(display).join(', ') || 'Not stated');
        fact(facts, 'New patients', accepting(r));
        item.append(facts);
        list.append(item);
        lines.push(`${loc.name || 'Location'}: ${addressText(loc.address)}; ${phone || 'no phone'}; ` +
          `${hoursText(loc.hoursOfOperation)}; ${accepting(r)}`);
      }
    }
    lines.push(`Directory data as of ${formatDate(role.meta?.lastUpdated)}`);
    const summary = el('textarea', { id: 'detail-summary', rows: '5', readonly: '' });
    summary.value = lines.join('\n');
    body.replaceChildren(
      list.children.length ? list : el('p', { text: 'No locations are listed.' }),
      el('label', { for: 'detail-summary', text: 'Summary for call notes' }),
      summary);
  } catch (error) {
    body.replaceChildren(el('p', { class: 'alert', role: 'alert', text: `Details failed to load: ${error.message}` }));
  }
}

async function copySummary() {
  const summary = $('detail-summary');
  if (!summary) return;
  const ok = await copyText(summary.value);
  if (!ok) { summary.focus(); summary.select(); }
  $('detail-copied').textContent = ok ? 'Summary copied.' : 'Copying is blocked here: the summary is selected, press Ctrl+C.';
}

// ---------- drug lookup ----------

const drug = { plans: [], formularyPlans: new Map(), planFormularies: new Map() };

async function loadPlans() {
  try {
    const bundle = await getJSON('/fhir/InsurancePlan?_count=500');
    const select = $('plan');
    for (const entry of bundle.entry || []) {
      const plan = entry.resource;
      const formularies = (plan.coverage || []).flatMap((c) => extensions(c, `${USDF}usdf-FormularyReference-extension`))
        .map((e) => e.valueReference?.reference).filter(Boolean);
      if (!formularies.length) continue;
      drug.planFormularies.set(`InsurancePlan/${plan.id}`, formularies);
      for (const f of formularies) {
        if (!drug.formularyPlans.has(f)) drug.formularyPlans.set(f, []);
        drug.formularyPlans.get(f).push(plan.name || plan.id);
      }
      select.append(el('option', { value: `InsurancePlan/${plan.id}`, text: plan.name || plan.id }));
    }
  } catch { /* the selector stays at "All plans" */ }
  const wanted = new URLSearchParams(location.search).get('plan');
  if (wanted) $('plan').value = wanted;
}

let typing = null;
let drugRequest = 0;

/** Searches as the rep types (after a pause, from two letters on), without moving focus. */
function drugTyped() {
  clearTimeout(typing);
  const words = $('drug').value.trim();
  if (words.replace(/[^\p{L}\p{N}]/gu, '').length < 2 || words.split(/\s+/).some((w) => w.length < 2)) return;
  typing = setTimeout(() => searchDrugs(words, { focus: false }), 300);
}

async function searchDrugs(text, { pick = null, push = true, focus = true } = {}) {
  const words = text.trim();
  const request = ++drugRequest;
  setFieldError('drug', '');
  showAlert('drug-alert', '');
  $('coverage').hidden = true;
  const list = $('drug-matches');
  if (!words) { setFieldError('drug', 'Type a drug name.'); $('drug').focus(); return; }
  if (push) history.replaceState(null, '', `?${mergeState(new URLSearchParams({ drug: words }), 'drug')}`);
  const title = $('drug-results-title');
  try {
    const params = new URLSearchParams({ _content: words, _count: '20', _elements: 'code' });
    const bundle = await getJSON(`/fhir/MedicationKnowledge?${params}`);
    // A later keystroke's search has started: this answer is stale.
    if (request !== drugRequest) return;
    const matches = (bundle.entry || []).filter((e) => e.search?.mode === 'match').map((e) => e.resource);
    list.replaceChildren();
    for (const medication of matches) {
      const rxnorm = codings(medication.code).find((c) => c.system?.includes('rxnorm'))?.code;
      const button = el('button', { type: 'button', class: 'secondary' },
        `${display(medication.code) || medication.id}${rxnorm ? ` (RxNorm ${rxnorm})` : ''}`);
      button.addEventListener('click', () => showCoverage(medication, button));
      list.append(el('li', {}, button));
    }
    const summary = matches.length
      ? `${matches.length}${bundle.link?.some((l) => l.relation === 'next') ? '+' : ''} drug${matches.length === 1 ? '' : 's'} match "${words}"`
      : `No drug matches "${words}"`;
    title.textContent = summary;
    title.hidden = false;
    announce(summary);
    const picked = pick && matches.find((m) => m.id === pick);
    if (picked) await showCoverage(picked, null, { push: false });
    else if (focus) title.focus();
  } catch (error) {
    title.hidden = true;
    list.replaceChildren();
    showAlert('drug-alert', `The drug search failed: ${error.message}`);
  }
}

const flag = (item, name) => {
  const ext = extensions(item, `${USDF}usdf-${name}-extension`)[0];
  return ext?.valueBoolean === true;
};

function quantityDetail(item) {
  const detail = extensions(item, `${USDF}usdf-QuantityLimitDetail-extension`)[0];
  if (!detail) return '';
  return (detail.extension || []).map((part) => {
    const repeat = part.valueTiming?.repeat;
    if (repeat) {
      const unit = { d: 'days', wk: 'weeks', mo: 'months', a: 'years' }[repeat.periodUnit] || repeat.periodUnit || '';
      return `${part.url === 'Rolling' ? 'rolling: ' : ''}${repeat.count ?? '?'} per ${repeat.period ?? '?'} ${unit}`.trim();
    }
    if (part.valueQuantity) return `${part.url}: ${part.valueQuantity.value} ${part.valueQuantity.unit || ''}`.trim();
    if (part.valueString) return part.valueString;
    return part.url;
  }).join('; ');
}

async function showCoverage(medication, opener, { push = true } = {}) {
  showAlert('drug-alert', '');
  const name = display(medication.code) || medication.id;
  if (push) {
    const state = new URLSearchParams(location.search);
    state.set('pick', medication.id);
    history.replaceState(null, '', `?${state}`);
  }
  try {
    const url = `/fhir/Basic?subject=${encodeURIComponent(`MedicationKnowledge/${medication.id}`)}&_include=Basic:formulary&_count=200`;
    const { matches, included } = bundleParts(await getJSON(url));
    const plan = $('plan').value;
    const allowed = plan ? new Set(drug.planFormularies.get(plan) || []) : null;
    const rows = matches.map((e) => e.resource).filter((item) => {
      const formulary = extensions(item, `${USDF}usdf-FormularyReference-extension`)[0]?.valueReference?.reference;
      return !allowed || allowed.has(formulary);
    });
    const body = $('coverage-table').tBodies[0];
    body.replaceChildren();
    const planName = plan ? $('plan').selectedOptions[0].textContent : '';
    let message;
    if (!matches.length) message = `${name} is on no formulary here.`;
    else if (!rows.length) message = `${name} is not on the formulary of ${planName}.`;
    for (const item of rows) {
      const formulary = extensions(item, `${USDF}usdf-FormularyReference-extension`)[0]?.valueReference?.reference;
      const tier = display(extensions(item, `${USDF}usdf-DrugTierID-extension`)[0]?.valueCodeableConcept) || 'Not stated';
      const pharmacies = extensions(item, `${USDF}usdf-PharmacyBenefitType-extension`)
        .map((e) => display(e.valueCodeableConcept)).filter(Boolean).join('; ') || 'Not stated';
      const period = extensions(item, `${USDF}usdf-AvailabilityPeriod-extension`)[0]?.valuePeriod;
      const ql = flag(item, 'QuantityLimit');
      const cells = [
        ['Formulary', included.get(formulary)?.name || formulary || 'Unknown'],
        ['Plans', (drug.formularyPlans.get(formulary) || []).join(', ') || 'None listed'],
        ['Tier', tier],
        ['Prior authorization', flag(item, 'PriorAuthorization') ? 'Yes, PA required' : 'No'],
        ['Step therapy', flag(item, 'StepTherapyLimit') ? 'Yes, ST applies' : 'No'],
        ['Quantity limit', ql ? `Yes, QL${quantityDetail(item) ? `: ${quantityDetail(item)}` : ''}` : 'No'],
        ['Pharmacy types', pharmacies],
        ['Period', period ? `${period.start || '…'} to ${period.end || '…'}` : 'Not stated'],
      ];
      const row = el('tr');
      cells.forEach(([label, value], index) => {
        const cell = el(index === 0 ? 'th' : 'td', { 'data-label': label, text: value });
        if (index === 0) cell.setAttribute('scope', 'row');
        if (value.startsWith('Yes')) cell.classList.add('flag-yes');
        row.append(cell);
      });
      body.append(row);
    }
    $('coverage-caption').textContent = `Coverage of ${name}${planName ? ` on ${planName}` : ''}`;
    $('coverage').hidden = rows.length === 0;
    const title = $('coverage-title');
    title.textContent = message || `${name}: ${rows.length} formular${rows.length === 1 ? 'y' : 'ies'}`;
    if (message) {
      showAlert('drug-alert', message);
      announce(message);
      $('drug-results-title').focus();
    } else {
      announce(title.textContent);
      title.focus();
    }
  } catch (error) {
    showAlert('drug-alert', `The coverage lookup failed: ${error.message}`);
  }
  if (opener) opener.setAttribute('aria-pressed', 'true');
}

// ---------- state ----------

/** The query string for one task's state, keeping the other task's keys. */
function mergeState(state, task) {
  const current = new URLSearchParams(location.search);
  const providerKeys = ['q', 'specialty', 'zip', 'radius', 'city', 'state', 'newpt', 'access', 'tele', 'language',
    'gender', 'network', 'kind'];
  const drugKeys = ['drug', 'pick', 'plan'];
  for (const key of task === 'provider' ? providerKeys : drugKeys) current.delete(key);
  for (const [key, value] of state) current.set(key, value);
  if (task === 'drug' && $('plan').value) current.set('plan', $('plan').value);
  return current;
}

async function start() {
  const state = new URLSearchParams(location.search);
  fillProviderForm(state);
  if (state.has('drug')) $('drug').value = state.get('drug');
  await Promise.all([loadSpecialties(), loadNetworks(), loadPlans()]);
  if (state.has('network')) $('network').value = state.get('network');

  $('provider-form').addEventListener('submit', (event) => {
    event.preventDefault();
    runProviderSearch(providerFormState());
  });
  $('provider-form').addEventListener('reset', () => {
    for (const id of ['q', 'zip', 'state']) setFieldError(id, '');
    $('provider-results').replaceChildren();
    $('provider-results-title').hidden = true;
    $('provider-more').hidden = true;
    showAlert('provider-alert', '');
    history.replaceState(null, '', `?${mergeState(new URLSearchParams(), 'provider')}`);
  });
  $('provider-more').addEventListener('click', moreProviders);
  $('drug-form').addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(typing);
    searchDrugs($('drug').value);
  });
  $('drug').addEventListener('input', drugTyped);
  $('plan').addEventListener('change', () => {
    const state = new URLSearchParams(location.search);
    if ($('plan').value) state.set('plan', $('plan').value); else state.delete('plan');
    history.replaceState(null, '', `?${state}`);
    const pick = state.get('pick');
    if (pick && state.has('drug')) searchDrugs(state.get('drug'), { pick, push: false });
  });
  $('detail-close').addEventListener('click', () => $('detail').close());
  $('detail-copy').addEventListener('click', copySummary);
  $('detail').addEventListener('close', () => { detailOpener?.focus(); });

  const providerKeys = ['q', 'specialty', 'zip', 'city', 'state'];
  if (providerKeys.some((k) => state.has(k))) await runProviderSearch(providerFormState(), { push: false });
  if (state.has('drug')) await searchDrugs(state.get('drug'), { pick: state.get('pick'), push: false });
  document.body.dataset.ready = 'true';
}

start();
