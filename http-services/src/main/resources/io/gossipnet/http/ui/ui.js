// The live status page of a gossipnet node: polls the peers (JSON) and metrics (Prometheus text)
// endpoints of the node that served it, once a second, and redraws. No dependencies.
(function () {
  'use strict';
  const body = document.body;
  const peersUrl = body.dataset.peers;
  const metricsUrl = body.dataset.metrics;
  const previous = new Map(); // peer key -> {at, messagesIn, messagesOut, bytesIn, bytesOut}
  const colors = { ws: '#1f6fd1', p2p: '#d9730d', mem: '#5a5a5a' };

  function el(tag, attrs, text) {
    const e = document.createElementNS(tag === 'svg' || attrs.svg ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml', tag);
    for (const [k, v] of Object.entries(attrs)) { if (k !== 'svg') e.setAttribute(k, v); }
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function cell(text, cls) {
    const td = el('td', cls ? { class: cls } : {}, text);
    td.title = text;
    return td;
  }

  function rate(now, before, field, seconds) {
    if (!before || seconds <= 0) return '–';
    const r = (now[field] - before[field]) / seconds;
    return r >= 100 ? Math.round(r).toString() : r.toFixed(1);
  }

  function short(id) {
    return id && id.length > 14 ? id.slice(0, 6) + '…' + id.slice(-6) : (id || '?');
  }

  function drawPeers(peers, at) {
    const tbody = document.querySelector('#peers tbody');
    tbody.replaceChildren();
    const seen = new Set();
    for (const p of peers) {
      const key = p.direction + ' ' + p.network + ' ' + p.address;
      seen.add(key);
      const before = previous.get(key);
      const seconds = before ? (at - before.at) / 1000 : 0;
      const row = el('tr', { 'data-network': p.network || '', 'data-direction': p.direction });
      row.append(cell(p.direction), cell(p.network || '?'), cell(p.address || '?', 'addr'), cell(short(p.id), 'id'),
        cell(p.queue ? p.queue.high + ' / ' + p.queue.bulk : '–', 'num'),
        cell(rate(p, before, 'messagesIn', seconds), 'num'), cell(rate(p, before, 'messagesOut', seconds), 'num'),
        cell(rate(p, before, 'bytesIn', seconds), 'num'), cell(rate(p, before, 'bytesOut', seconds), 'num'));
      tbody.append(row);
      previous.set(key, { at, messagesIn: p.messagesIn, messagesOut: p.messagesOut, bytesIn: p.bytesIn, bytesOut: p.bytesOut });
    }
    for (const key of [...previous.keys()]) { if (!seen.has(key)) previous.delete(key); }
  }

  function drawMesh(peers) {
    const svg = document.getElementById('mesh');
    svg.replaceChildren();
    const defs = el('defs', { svg: true });
    for (const [name, color] of Object.entries(colors)) {
      const m = el('marker', { svg: true, id: 'arrow-' + name, viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '6', markerHeight: '6', orient: 'auto' });
      m.append(el('path', { svg: true, d: 'M0,0 L10,5 L0,10 z', fill: color }));
      defs.append(m);
    }
    svg.append(defs);
    const n = peers.length;
    peers.forEach((p, i) => {
      const angle = (2 * Math.PI * i) / Math.max(n, 1) - Math.PI / 2;
      const x = Math.round(110 * Math.cos(angle));
      const y = Math.round(110 * Math.sin(angle));
      const color = colors[p.network] || colors.mem;
      const out = p.direction === 'out';
      // From the dialer to the listener, stopping at the other circle's edge.
      const [x1, y1, x2, y2] = out ? [0, 0, x, y] : [x, y, 0, 0];
      const len = Math.hypot(x2 - x1, y2 - y1) || 1;
      const k = 14 / len;
      svg.append(el('line', { svg: true, class: 'edge', 'data-network': p.network || '', x1: x1 + (x2 - x1) * k, y1: y1 + (y2 - y1) * k,
        x2: x2 - (x2 - x1) * k, y2: y2 - (y2 - y1) * k, stroke: color, 'stroke-width': '2', 'marker-end': 'url(#arrow-' + (colors[p.network] ? p.network : 'mem') + ')' }));
      svg.append(el('circle', { svg: true, class: 'peer', cx: x, cy: y, r: '12', fill: '#fff', stroke: color, 'stroke-width': '2' }));
      svg.append(el('text', { svg: true, x: x, y: y + 26, 'text-anchor': 'middle', 'font-size': '9' }, short(p.id)));
    });
    svg.append(el('circle', { svg: true, cx: 0, cy: 0, r: '14', fill: '#222' }));
    svg.append(el('text', { svg: true, x: 0, y: 4, 'text-anchor': 'middle', 'font-size': '9', fill: '#fff' }, 'this'));
  }

  // Prometheus text: name{label="v",...} value
  function parseMetrics(text) {
    const out = [];
    for (const line of text.split('\n')) {
      if (!line || line[0] === '#') continue;
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m) continue;
      const labels = {};
      if (m[2]) { for (const l of m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2]; }
      out.push({ name: m[1], labels, value: Number(m[3]) });
    }
    return out;
  }

  function drawDrops(samples) {
    const tbody = document.querySelector('#drops tbody');
    tbody.replaceChildren();
    const drops = samples.filter(s => s.name === 'gossipnet_connections_dropped_total' && s.value > 0)
      .sort((a, b) => b.value - a.value);
    if (drops.length === 0) {
      const row = el('tr', {});
      row.append(el('td', { colspan: '3' }, 'none'));
      tbody.append(row);
    }
    for (const s of drops) {
      const row = el('tr', { 'data-reason': s.labels.reason || '' });
      row.append(cell(s.labels.network || '?'), cell(s.labels.reason || '?'), cell(String(s.value), 'num'));
      tbody.append(row);
    }
  }

  async function refresh() {
    const state = document.getElementById('state');
    try {
      const [peersRes, metricsRes] = await Promise.all([fetch(peersUrl, { cache: 'no-store' }), fetch(metricsUrl, { cache: 'no-store' })]);
      if (!peersRes.ok || !metricsRes.ok) throw new Error('HTTP ' + peersRes.status + '/' + metricsRes.status);
      const peers = (await peersRes.json()).peers || [];
      const samples = parseMetrics(await metricsRes.text());
      const at = Date.now();
      const count = document.getElementById('peer-count');
      count.textContent = String(peers.length);
      count.dataset.count = String(peers.length);
      document.getElementById('peers-in').textContent = String(peers.filter(p => p.direction === 'in').length);
      document.getElementById('peers-out').textContent = String(peers.filter(p => p.direction === 'out').length);
      drawPeers(peers, at);
      drawMesh(peers);
      drawDrops(samples);
      const updated = document.getElementById('updated');
      updated.textContent = new Date(at).toLocaleTimeString();
      updated.dataset.at = String(performance.now());
      state.textContent = '';
      state.className = 'state';
    } catch (e) {
      state.textContent = '(node not answering: ' + e.message + ')';
      state.className = 'state stale';
    }
  }

  refresh();
  setInterval(refresh, 1000);
})();
