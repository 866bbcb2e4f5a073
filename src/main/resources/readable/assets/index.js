// The index: every chat from index-data.js (a <script src>, so it works from file://), sortable, with a
// filter by name and summary; served over http(s) by `claude-backup serve`, the same box also asks
// /api/search for full-text hits. Every string from the backup is set as text (textContent), never as HTML.
(function () {
  'use strict';

  var PAGE = 500;
  var data = window.claudeBackupIndex || { chats: [], projects: [] };
  var chats = data.chats || [];
  chats.forEach(function (chat) {
    chat.haystack = ((chat.name || '') + '\n' + (chat.summary || '')).toLowerCase();
  });
  var state = { key: 'updated', descending: true, limit: PAGE };
  var sorted = chats.slice();
  var input = document.getElementById('search');
  var rows = document.getElementById('chat-rows');
  var shownLine = document.getElementById('shown');
  var more = document.getElementById('more');

  // A link only to a relative path below this page (no scheme, no "//", no "..").
  function relative(href) {
    return typeof href === 'string' && href !== '' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(href)
      && href.charAt(0) !== '/' && href.charAt(0) !== '\\' && !/(^|\/)\.\.(\/|$)/.test(href);
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function link(text, href) {
    var a = element('a', text);
    if (relative(href)) { a.setAttribute('href', href); }
    return a;
  }

  function row(chat) {
    if (chat.row) { return chat.row; }
    var tr = document.createElement('tr');
    var name = element('td', null, 'name');
    name.appendChild(link(chat.name || '(no name)', chat.page));
    tr.appendChild(name);
    tr.appendChild(element('td', chat.organization, 'organization'));
    var project = element('td', null, 'project');
    if (chat.project) {
      var a = element('a', chat.project);
      a.setAttribute('href', '#project-' + encodeURIComponent(chat.projectUuid));
      project.appendChild(a);
    }
    tr.appendChild(project);
    tr.appendChild(element('td', (chat.updated || '').replace('T', ' ').slice(0, 16), 'updated'));
    tr.appendChild(element('td', chat.model, 'model'));
    tr.appendChild(element('td', chat.starred ? '\u2605' : '', 'starred'));
    tr.appendChild(element('td', chat.messages, 'messages'));
    chat.row = tr;
    return tr;
  }

  function compare(key) {
    return function (a, b) {
      var x = a[key];
      var y = b[key];
      if (typeof x === 'string') { x = x.toLowerCase(); y = (y || '').toLowerCase(); }
      if (typeof x === 'boolean') { x = x ? 1 : 0; y = y ? 1 : 0; }
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }

  function sort() {
    var byKey = compare(state.key);
    sorted = chats.slice().sort(state.descending ? function (a, b) { return byKey(b, a); } : byKey);
    Array.prototype.forEach.call(document.querySelectorAll('th button'), function (button) {
      button.setAttribute('aria-sort', button.dataset.sort === state.key ? (state.descending ? 'descending' : 'ascending') : 'none');
    });
  }

  function render() {
    var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var matches = terms.length === 0 ? sorted : sorted.filter(function (chat) {
      for (var i = 0; i < terms.length; i++) {
        if (chat.haystack.indexOf(terms[i]) < 0) { return false; }
      }
      return true;
    });
    var fragment = document.createDocumentFragment();
    var count = Math.min(matches.length, state.limit);
    for (var i = 0; i < count; i++) { fragment.appendChild(row(matches[i])); }
    rows.replaceChildren(fragment);
    shownLine.textContent = (terms.length ? matches.length + ' of ' + chats.length + ' chats match'
      : chats.length + ' chats') + (matches.length > count ? ', the first ' + count + ' shown' : '');
    more.hidden = matches.length <= count;
  }

  Array.prototype.forEach.call(document.querySelectorAll('th button'), function (button) {
    button.addEventListener('click', function () {
      if (state.key === button.dataset.sort) {
        state.descending = !state.descending;
      } else {
        state.key = button.dataset.sort;
        state.descending = state.key === 'updated' || state.key === 'messages' || state.key === 'starred';
      }
      sort();
      render();
    });
  });
  more.addEventListener('click', function () {
    state.limit += PAGE;
    render();
  });
  input.addEventListener('input', function () {
    state.limit = PAGE;
    render();
    askServer();
  });

  // Full-text search, only when served (serve's /api/search); from file:// the filter above is all.
  var served = location.protocol === 'http:' || location.protocol === 'https:';
  var results = document.getElementById('search-results');
  var timer = null;
  var asked = 0;

  function marked(snippet) {
    var paragraph = element('p', null, 'snippet');
    var parts = String(snippet || '').split(/\[([^\]]*)\]/);
    for (var i = 0; i < parts.length; i++) {
      if (i % 2 === 1) {
        paragraph.appendChild(element('mark', parts[i]));
      } else if (parts[i]) {
        paragraph.appendChild(document.createTextNode(parts[i]));
      }
    }
    return paragraph;
  }

  function pageHref(result) {
    if (typeof result.page === 'string' && relative(result.page)) {
      var href = result.page.split('/').map(encodeURIComponent).join('/');
      return result.message_uuid ? href + '#m-' + encodeURIComponent(result.message_uuid) : href;
    }
    return null;
  }

  function showResults(answer) {
    var fragment = document.createDocumentFragment();
    (answer.results || []).forEach(function (result) {
      var item = element('li', null, 'search-result ' + (result.kind || ''));
      var title = element('a', result.name || '(no name)', 'result-name');
      var href = pageHref(result);
      if (href) {
        title.setAttribute('href', href);
      } else if (typeof result.url === 'string' && /^https?:\/\//i.test(result.url)) {
        title.setAttribute('href', result.url);
        title.setAttribute('rel', 'noopener noreferrer');
      }
      item.appendChild(title);
      var where = [result.organization, result.project, (result.updated_at || '').slice(0, 10)].filter(Boolean).join(' \u00b7 ');
      item.appendChild(element('span', where, 'result-where'));
      if (result.on_current_branch === false) { item.appendChild(element('span', 'on another branch', 'result-branch')); }
      item.appendChild(marked(result.snippet));
      fragment.appendChild(item);
    });
    results.replaceChildren(fragment);
    results.hidden = results.childElementCount === 0;
  }

  function askServer() {
    if (!served) { return; }
    clearTimeout(timer);
    var query = input.value.trim();
    if (!query) {
      asked++;
      results.replaceChildren();
      results.hidden = true;
      return;
    }
    timer = setTimeout(function () {
      var mine = ++asked;
      fetch('/api/search?q=' + encodeURIComponent(query) + '&limit=50', { headers: { Accept: 'application/json' } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (answer) { if (mine === asked) { showResults(answer); } })
        .catch(function () { /* the filter above still works */ });
    }, 200);
  }

  function renderProjects() {
    var list = document.getElementById('project-list');
    var fragment = document.createDocumentFragment();
    (data.projects || []).forEach(function (project) {
      var item = element('li', null, 'project');
      item.id = 'project-' + project.uuid;
      item.appendChild(element('h3', project.name || '(no name)'));
      item.appendChild(element('p', [project.organization, project.chats + ' chats'].join(' \u00b7 '), 'project-where'));
      if (project.description) { item.appendChild(element('p', project.description, 'description')); }
      var files = element('ul', null, 'project-files');
      var instructions = element('li');
      instructions.appendChild(link('Instructions', project.instructions));
      files.appendChild(instructions);
      if (project.memory) {
        var memory = element('li');
        memory.appendChild(link('Memory', project.memory));
        files.appendChild(memory);
      }
      (project.docs || []).forEach(function (doc) {
        var entry = element('li');
        entry.appendChild(link(doc.name, doc.href));
        files.appendChild(entry);
      });
      item.appendChild(files);
      fragment.appendChild(item);
    });
    list.replaceChildren(fragment);
    document.getElementById('projects').hidden = list.childElementCount === 0;
  }

  sort();
  render();
  renderProjects();
  if (location.hash.indexOf('#project-') === 0) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) { target.scrollIntoView(); }
  }
})();
