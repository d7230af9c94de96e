// Weft's topology page: reads the REST API, follows /api/v1/events and re-reads what an event says changed.
// No framework, no build step: plain DOM and fetch.
'use strict';

const API = '/api/v1';
const TOKEN_KEY = 'weft-token';
const state = { hosts: [], networks: [], endpoints: {}, topology: null, selected: null };

// ---- the API, with the session's bearer token when the controller asks for one

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : 'HTTP ' + status);
    this.status = status;
  }
}

function authHeaders(extra) {
  const headers = Object.assign({}, extra);
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = 'Bearer ' + token;
  return headers;
}

async function get(path) {
  const r = await fetch(API + path, { headers: authHeaders({ Accept: 'application/json' }) });
  if (r.status === 401) askForToken();
  if (!r.ok) {
    let problem = null;
    try { problem = await r.json(); } catch (e) { /* not a problem document */ }
    throw new ApiError(r.status, problem);
  }
  return r.json();
}

function askForToken() {
  const dialog = document.getElementById('token-dialog');
  if (!dialog.open) dialog.showModal();
}

// ---- reading the state

async function loadHosts() {
  state.hosts = await get('/hosts');
  renderHosts();
}

async function loadNetworks() {
  state.networks = await get('/networks');
  const endpoints = {};
  await Promise.all(state.networks.map(async n => {
    endpoints[n.name] = await get('/networks/' + encodeURIComponent(n.name) + '/endpoints');
  }));
  state.endpoints = endpoints;
  renderNetworks();
}

async function loadNetwork(name) {
  try {
    state.endpoints[name] = await get('/networks/' + encodeURIComponent(name) + '/endpoints');
  } catch (e) {
    if (e.status !== 404) throw e;
    delete state.endpoints[name];
  }
  renderNetworks();
}

async function loadTopology() {
  state.topology = await get('/topology');
  renderTopology();
}

function loadAll() {
  return Promise.all([loadHosts(), loadNetworks(), loadTopology()]).then(refreshDetails);
}

// Bursts of events (a host's flows installed, then its endpoints bound) are coalesced into one read of each kind.
const pending = new Set();
let pendingTimer = null;
function reload(what) {
  pending.add(what);
  if (pendingTimer) return;
  pendingTimer = setTimeout(() => {
    pendingTimer = null;
    const kinds = [...pending];
    pending.clear();
    const reads = kinds.map(k => k === 'hosts' ? loadHosts() : k === 'networks' ? loadNetworks()
      : k === 'all' ? loadAll() : loadNetwork(k.slice('network:'.length)));
    Promise.all(reads).then(refreshDetails).catch(showError);
  }, 50);
}

function onEvent(type, data) {
  switch (type) {
    case 'resync': reload('all'); break;
    case 'network-created': case 'network-removed': reload('networks'); break;
    case 'endpoint-bound': case 'endpoint-removed': reload('network:' + data.network); reload('hosts'); break;
    default: reload('hosts'); // host-connected/-disconnected, tunnels-changed, flows-installed, drift, error
  }
}

// ---- the event stream: fetch, so that it carries the same Authorization header as every other call (EventSource
// cannot send headers, and a token in the URL would end up in logs and history)

let lastEventId = null;
async function follow() {
  let backoff = 500;
  for (;;) {
    try {
      const headers = authHeaders({ Accept: 'text/event-stream' });
      if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
      const r = await fetch(API + '/events', { headers, cache: 'no-store' });
      if (r.status === 401) askForToken();
      if (!r.ok) throw new Error('event stream: HTTP ' + r.status);
      setLive('live');
      backoff = 500;
      reload('all'); // connected or reconnected: re-read everything
      await readEvents(r.body.getReader());
    } catch (e) {
      console.warn(e);
    }
    setLive('reconnecting…');
    await new Promise(resolve => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, 10000);
  }
}

// Server-Sent Events framing: "field: value" lines, a blank line ends an event, ":" starts a comment.
async function readEvents(reader) {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = { type: 'message', data: [], id: null };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffer.search(/\r?\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(buffer[newline] === '\r' ? newline + 2 : newline + 1);
      if (line === '') {
        if (event.id !== null) lastEventId = event.id;
        if (event.data.length) onEvent(event.type, JSON.parse(event.data.join('\n')));
        event = { type: 'message', data: [], id: null };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.type = val;
        else if (field === 'data') event.data.push(val);
        else if (field === 'id') event.id = val;
      }
    }
  }
}

// ---- rendering

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  });
  children.flat().forEach(c => e.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return e;
}

function svg(tag, attrs, ...children) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  children.forEach(c => e.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return e;
}

function hostState(h) {
  const s = h.status || {};
  if (!s.ovsdbConnected || !s.openflowConnected) return 'down';
  return s.inSync ? 'ok' : 'busy';
}

/** The host a tunnel port leads to: Weft names them vxlan-PEER and gre-PEER. */
function peerOf(port) {
  return port.slice(port.indexOf('-') + 1);
}

function renderHosts() {
  const tbody = document.querySelector('#hosts tbody');
  tbody.replaceChildren(...state.hosts.map(h => {
    const s = h.status || {};
    const yes = b => el('td', { class: b ? 'yes' : 'no' }, b ? 'connected' : 'not connected');
    return el('tr', { 'data-host': h.name, 'data-state': hostState(h) },
      el('th', { scope: 'row' }, h.name), el('td', {}, h.tunnelIp), yes(s.ovsdbConnected), yes(s.openflowConnected),
      el('td', {}, s.datapathId || '—'),
      el('td', { class: 'flows' }, (s.flowsDesired ?? 0) + ' / ' + (s.flowsInstalled ?? 0)),
      el('td', { class: s.inSync ? 'yes' : 'no' }, s.inSync ? 'yes' : 'no' + (s.lastError ? ': ' + s.lastError : '')),
      el('td', {}, (s.tunnelPorts || []).join(', ') || '—'));
  }));
  renderGraph();
}

function renderGraph() {
  const graph = document.getElementById('graph');
  const title = graph.querySelector('title');
  const n = state.hosts.length;
  const pos = {};
  state.hosts.forEach((h, i) => {
    const angle = (2 * Math.PI * i) / Math.max(n, 1) - Math.PI / 2;
    pos[h.name] = n === 1 ? [320, 180] : [320 + 230 * Math.cos(angle), 180 + 130 * Math.sin(angle)];
  });
  const byName = Object.fromEntries(state.hosts.map(h => [h.name, h]));
  const lines = [];
  const drawn = new Set();
  state.hosts.forEach(h => (h.status?.tunnelPorts || []).forEach(port => {
    const peer = peerOf(port);
    const key = [h.name, peer].sort().join(' ');
    if (!pos[peer] || drawn.has(key)) return;
    drawn.add(key);
    const back = (byName[peer].status?.tunnelPorts || []).some(p => peerOf(p) === h.name);
    const up = back && hostState(h) !== 'down' && hostState(byName[peer]) !== 'down';
    lines.push(svg('line', { x1: pos[h.name][0], y1: pos[h.name][1], x2: pos[peer][0], y2: pos[peer][1],
      class: up ? 'up' : 'half', 'data-tunnel': key }, svg('title', {}, 'tunnel ' + h.name + ' – ' + peer
      + (up ? '' : ' (not up on both sides)'))));
  }));
  const nodes = state.hosts.map(h => svg('g', { class: 'host ' + hostState(h), 'data-host': h.name },
    svg('title', {}, h.name + ': ' + hostState(h)),
    svg('circle', { cx: pos[h.name][0], cy: pos[h.name][1], r: 30 }),
    svg('text', { x: pos[h.name][0], y: pos[h.name][1] + 5 }, h.name)));
  graph.replaceChildren(title, ...lines, ...nodes);
}

function renderNetworks() {
  const box = document.getElementById('networks');
  if (!state.networks.length) {
    box.replaceChildren(el('p', {}, 'No networks.'));
    return;
  }
  box.replaceChildren(...state.networks.map(n => {
    const eps = state.endpoints[n.name] || [];
    return el('div', { class: 'network', 'data-network': n.name },
      el('h3', {}, n.name + ' ', el('small', {}, n.encap + ' VNI ' + n.vni + ', '
        + n.subnets.map(s => s.cidr).join(', '))),
      eps.length ? el('ul', { class: 'endpoints' }, eps.map(e => el('li', {},
        el('button', { type: 'button', 'data-endpoint': n.name + '/' + e.name,
          'aria-pressed': String(state.selected === n.name + '/' + e.name),
          onclick: () => select(n.name, e.name) }, e.name + ' ' + e.ip + ' on ' + e.host))))
        : el('p', {}, 'No endpoints.'));
  }));
}

function renderTopology() {
  const t = state.topology;
  const section = document.getElementById('plain');
  section.hidden = !t || !t.switches.length;
  if (section.hidden) return;
  const end = e => e.datapathId + ':' + e.ofport;
  document.getElementById('plain-body').replaceChildren(
    el('table', {}, el('caption', {}, 'Switches'),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Datapath'), el('th', { scope: 'col' }, 'Ports'))),
      el('tbody', {}, t.switches.map(s => el('tr', {}, el('th', { scope: 'row' }, s.datapathId),
        el('td', {}, s.ports.map(p => p.ofport + ' ' + p.role).join(', ')))))),
    el('table', {}, el('caption', {}, 'Links'),
      el('tbody', {}, t.links.map(l => el('tr', {}, el('td', {}, end(l.a) + ' – ' + end(l.b)))))),
    el('table', {}, el('caption', {}, 'Learned hosts'),
      el('tbody', {}, t.hosts.map(h => el('tr', {}, el('td', {}, h.mac), el('td', {}, h.ip || '—'),
        el('td', {}, end(h.at)))))));
}

// ---- one endpoint: details, its host's flows, a trace

async function select(network, name) {
  state.selected = network + '/' + name;
  renderNetworks();
  document.getElementById('details').hidden = false;
  document.getElementById('details-title').textContent = 'Endpoint ' + state.selected;
  document.getElementById('trace-result').replaceChildren();
  const others = (state.endpoints[network] || []).filter(e => e.name !== name);
  document.getElementById('trace-to').replaceChildren(...others.map(e => el('option', { value: e.name },
    e.name + ' (' + e.ip + ')')));
  await refreshDetails();
}

async function refreshDetails() {
  if (!state.selected) return;
  const [network, name] = state.selected.split('/');
  let endpoint;
  try {
    endpoint = await get('/networks/' + encodeURIComponent(network) + '/endpoints/' + encodeURIComponent(name));
  } catch (e) {
    document.getElementById('endpoint-json').textContent = e.message;
    document.getElementById('flows').replaceChildren();
    return;
  }
  document.getElementById('endpoint-json').textContent = JSON.stringify(endpoint, null, 2);
  const flows = await get('/hosts/' + encodeURIComponent(endpoint.host) + '/flows');
  const mine = f => f.flow.includes(endpoint.mac) || new RegExp(endpoint.ip.replace(/\./g, '\\.') + '(?!\\d)')
    .test(f.flow);
  document.getElementById('flows-title').textContent = 'Flows on ' + endpoint.host + ' (' + flows.installed.length
    + ' installed, ' + (flows.inSync ? 'in sync' : 'not in sync') + '; those naming ' + name + ' marked)';
  document.getElementById('flows').replaceChildren(el('table', {},
    el('thead', {}, el('tr', {}, ['table', 'priority', 'cookie', 'flow'].map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, flows.installed.map(f => el('tr', { class: mine(f) ? 'mine' : '' },
      el('td', {}, f.table), el('td', {}, f.priority), el('td', {}, f.cookie), el('td', {}, f.flow))))));
}

async function trace(event) {
  event.preventDefault();
  const [network, from] = state.selected.split('/');
  const to = document.getElementById('trace-ip').value.trim() || document.getElementById('trace-to').value;
  const proto = document.getElementById('trace-proto').value;
  const out = document.getElementById('trace-result');
  const query = new URLSearchParams({ network, from, to, proto });
  try {
    const t = await get('/trace?' + query);
    out.replaceChildren(
      el('p', {}, el('span', { class: 'verdict-' + t.verdict, 'data-verdict': t.verdict }, t.verdict), ': ',
        el('span', { class: 'reason' }, t.reason)),
      el('table', {}, el('caption', {}, 'Steps'),
        el('thead', {}, el('tr', {}, ['host', 'table', 'match', 'actions', 'explanation'].map(h =>
          el('th', { scope: 'col' }, h)))),
        el('tbody', {}, (t.steps || []).map(s => el('tr', {}, el('td', {}, s.host),
          el('td', {}, s.tableName || s.table), el('td', {}, s.match), el('td', {}, s.actions),
          el('td', {}, s.explanation + (s.vni !== undefined ? ' (VNI ' + s.vni + ')' : '')))))));
  } catch (e) {
    out.replaceChildren(el('p', { class: 'problem' }, 'Trace failed: ' + e.message));
  }
}

function setLive(text) {
  document.getElementById('live').textContent = 'events: ' + text;
}

function showError(e) {
  setLive('error: ' + e.message);
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('token-form').addEventListener('submit', () => {
    sessionStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
    loadAll().catch(showError);
  });
  document.getElementById('trace-form').addEventListener('submit', trace);
  document.getElementById('close-details').addEventListener('click', () => {
    state.selected = null;
    document.getElementById('details').hidden = true;
    renderNetworks();
  });
  // Plain switches have no events of their own: their picture is read again every 5 s while the page is seen.
  setInterval(() => { if (!document.hidden) loadTopology().catch(showError); }, 5000);
  follow();
});
