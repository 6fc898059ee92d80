/**
 * The HTML report's only script (plain ES2019, run by the browser, not by node). It reads the
 * hosts from the JSON data block and never turns host text into markup: everything is set with
 * textContent, no innerHTML, no event handler attributes, no eval. It:
 * - filters the host table while typing (every word must match; status:WORD and reboot:yes|no|unknown
 *   and stale:yes|no match those columns exactly; the summary tiles fill in such a filter);
 * - sorts the table by a column when its header is clicked (again: the other direction);
 * - opens a host's details (stale processes with owners and files, restarted, killed, steps with
 *   durations and messages) below its row when its name is clicked, built on demand.
 */
export const HTML_SCRIPT = `'use strict';
(function () {
  var data = JSON.parse(document.getElementById('remedy-data').textContent);
  var table = document.getElementById('hosts');
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var details = new Map();
  var filter = document.getElementById('filter');
  var shown = document.getElementById('shown');

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function seconds(ms) { return ms < 60000 ? (ms / 1000).toFixed(1) + 's' : Math.floor(ms / 60000) + 'm' + String(Math.round(ms / 1000) % 60).padStart(2, '0') + 's'; }
  function smallTable(headers, items, cells) {
    var t = el('table', null, 'inner');
    var tr = t.createTHead().insertRow();
    headers.forEach(function (h) { tr.appendChild(el('th', h)); });
    var body = t.createTBody();
    items.forEach(function (item) {
      var row = body.insertRow();
      cells(item).forEach(function (c) { row.appendChild(c instanceof Node ? c : el('td', c)); });
    });
    return t;
  }
  function section(parent, title, content) {
    parent.appendChild(el('h4', title));
    parent.appendChild(content);
  }

  function searchText(row, h) {
    var words = [row.textContent, h.address];
    h.stale.forEach(function (p) { words.push(p.command, p.user, p.owner.kind, p.owner.name, p.files.join(' ')); });
    h.restarted.forEach(function (r) { words.push(r); });
    h.rebootReasons.forEach(function (r) { words.push(r.kind, r.detail); });
    return words.join(' ').toLowerCase();
  }
  var texts = rows.map(function (row) { return searchText(row, data.hosts[Number(row.dataset.i)]); });

  function applyFilter() {
    var terms = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var count = 0;
    rows.forEach(function (row, i) {
      var ok = terms.every(function (t) {
        var m = /^(status|reboot|stale):(.+)$/.exec(t);
        if (m) return (row.dataset[m[1]] || '') === m[2];
        return texts[i].indexOf(t) >= 0;
      });
      row.hidden = !ok;
      var d = details.get(row);
      if (d) d.hidden = !ok || row.dataset.open !== 'true';
      if (ok) count++;
    });
    shown.textContent = count === rows.length ? 'all ' + rows.length + ' hosts' : count + ' of ' + rows.length + ' hosts';
  }
  filter.addEventListener('input', applyFilter);
  Array.prototype.forEach.call(document.querySelectorAll('button[data-filter]'), function (b) {
    b.addEventListener('click', function () { filter.value = b.dataset.filter; applyFilter(); filter.focus(); });
  });

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, col) {
    var button = th.querySelector('button');
    button.addEventListener('click', function () {
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      var numeric = th.dataset.type === 'number';
      var key = function (row) {
        var cell = row.cells[col];
        var v = cell.dataset.v !== undefined ? cell.dataset.v : cell.textContent.trim();
        return numeric ? Number(v) : v.toLowerCase();
      };
      var sorted = rows.map(function (row, i) { return { row: row, key: key(row), i: i }; });
      sorted.sort(function (a, b) { return a.key < b.key ? -dir : a.key > b.key ? dir : a.i - b.i; });
      sorted.forEach(function (s) {
        tbody.appendChild(s.row);
        var d = details.get(s.row);
        if (d) tbody.appendChild(d);
      });
    });
  });

  function buildDetails(h) {
    var box = el('div', null, 'details');
    var facts = el('p');
    facts.appendChild(el('span', 'address ' + h.address));
    facts.appendChild(el('span', ' · status ' + h.status));
    if (h.unreachable) facts.appendChild(el('span', ' · unreachable (' + h.unreachable.kind + '): ' + h.unreachable.message));
    box.appendChild(facts);
    if (h.rebootReasons.length) {
      var ul = el('ul');
      h.rebootReasons.forEach(function (r) { ul.appendChild(el('li', r.detail ? r.kind + ': ' + r.detail : r.kind)); });
      section(box, h.rebootRequired ? 'Reboot required' : 'Reboot can wait', ul);
    }
    if (h.stale.length) {
      section(box, 'Stale processes (' + h.stale.length + ')', smallTable(['pid', 'command', 'user', 'owner', 'files'], h.stale, function (p) {
        var files = el('td', null, 'files');
        p.files.forEach(function (f) { files.appendChild(el('div', f)); });
        return [el('td', p.pid, 'num'), p.command, p.user, p.owner.kind + ' ' + p.owner.name, files];
      }));
    }
    if (h.restarted.length) section(box, 'Restarted (' + h.restarted.length + ')', el('p', h.restarted.join(', ')));
    if (h.killed.length) {
      section(box, 'Killed (' + h.killed.length + ')', smallTable(['pid', 'command', 'signal'], h.killed, function (k) { return [el('td', k.pid, 'num'), k.command, k.signal]; }));
    }
    if (h.steps.length) {
      section(box, 'Steps (' + h.steps.length + ')', smallTable(['play', 'task', 'status', 'time', 'exit', 'message'], h.steps, function (s) {
        var status = el('td', s.status + (s.ignored ? ' (ignored)' : '') + (s.cause ? ' (' + s.cause + ')' : ''), 'st-' + s.status);
        return [s.play, s.task, status, el('td', seconds(s.durationMs), 'num'), el('td', s.exitCode === null ? '' : s.exitCode, 'num'), el('td', s.message, 'msg')];
      }));
    }
    return box;
  }

  rows.forEach(function (row) {
    var button = row.querySelector('button.host');
    button.addEventListener('click', function () {
      var open = row.dataset.open === 'true';
      var d = details.get(row);
      if (!d) {
        d = el('tr', null, 'detail-row');
        var td = el('td');
        td.colSpan = row.cells.length;
        td.appendChild(buildDetails(data.hosts[Number(row.dataset.i)]));
        d.appendChild(td);
        details.set(row, d);
        row.after(d);
      }
      row.dataset.open = open ? 'false' : 'true';
      button.setAttribute('aria-expanded', open ? 'false' : 'true');
      d.hidden = open;
    });
  });
  applyFilter();
  document.body.dataset.ready = 'true';
})();
`;
