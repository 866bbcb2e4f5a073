// A chat page's branch switcher. Every branch is in the page; this shows one path through the tree
// at a time, with "‹ k / n ›" at each fork. Made with DOM calls only: no text of the chat is ever
// parsed as HTML. Without this script the page shows every branch, one after the other.
(function () {
  'use strict';

  function start() {
    var articles = Array.prototype.slice.call(document.querySelectorAll('article.message'));
    var byUuid = {};
    var children = {};
    articles.forEach(function (article) {
      byUuid[article.dataset.uuid] = article;
    });
    articles.forEach(function (article) {
      var parent = byUuid[article.dataset.parent] ? article.dataset.parent : '';
      (children[parent] = children[parent] || []).push(article);
    });
    Object.keys(children).forEach(function (parent) {
      children[parent].sort(function (a, b) { return Number(a.dataset.order) - Number(b.dataset.order); });
    });
    var forks = Object.keys(children).some(function (parent) { return children[parent].length > 1; });
    var first = document.querySelector('section.branch');
    if (!forks || !first) {
      return;
    }
    var shown = first.querySelectorAll('article.message');
    var currentLeaf = shown[shown.length - 1];
    var onCurrent = {};
    for (var m = currentLeaf; m; m = byUuid[m.dataset.parent]) {
      if (onCurrent[m.dataset.uuid]) { break; }
      onCurrent[m.dataset.uuid] = true;
    }

    function parentOf(article) {
      return byUuid[article.dataset.parent] ? article.dataset.parent : '';
    }

    function ancestors(article) {
      var path = [];
      var seen = {};
      for (var m = article; m && !seen[m.dataset.uuid]; m = byUuid[parentOf(m)]) {
        seen[m.dataset.uuid] = true;
        path.unshift(m);
      }
      return path;
    }

    // Down from a message: toward the branch claude.ai shows where it is below, else the latest answer.
    function descend(article) {
      var path = [];
      var seen = {};
      var next = children[article.dataset.uuid];
      while (next && next.length) {
        var chosen = next.filter(function (c) { return onCurrent[c.dataset.uuid]; })[0] || next[next.length - 1];
        if (seen[chosen.dataset.uuid]) { break; }
        seen[chosen.dataset.uuid] = true;
        path.push(chosen);
        next = children[chosen.dataset.uuid];
      }
      return path;
    }

    function show(through) {
      var path = ancestors(through).concat(descend(through));
      var visible = {};
      path.forEach(function (article) { visible[article.dataset.uuid] = true; });
      Array.prototype.forEach.call(document.querySelectorAll('nav.fork'), function (nav) { nav.remove(); });
      articles.forEach(function (article) { article.hidden = !visible[article.dataset.uuid]; });
      Array.prototype.forEach.call(document.querySelectorAll('section.branch'), function (section) {
        section.hidden = !section.querySelector('article.message:not([hidden])');
      });
      path.forEach(function (article) {
        var siblings = children[parentOf(article)];
        if (siblings.length > 1) {
          article.parentNode.insertBefore(switcher(siblings, siblings.indexOf(article)), article);
        }
      });
    }

    function switcher(siblings, at) {
      var nav = document.createElement('nav');
      nav.className = 'fork';
      nav.setAttribute('aria-label', 'Branches at this message');
      var previous = document.createElement('button');
      previous.type = 'button';
      previous.className = 'fork-previous';
      previous.textContent = '\u2039';
      previous.title = 'The branch before';
      previous.disabled = at === 0;
      previous.addEventListener('click', function () { show(siblings[at - 1]); });
      var where = document.createElement('span');
      where.className = 'fork-position';
      where.textContent = (at + 1) + ' / ' + siblings.length;
      var next = document.createElement('button');
      next.type = 'button';
      next.className = 'fork-next';
      next.textContent = '\u203a';
      next.title = 'The branch after';
      next.disabled = at === siblings.length - 1;
      next.addEventListener('click', function () { show(siblings[at + 1]); });
      nav.appendChild(previous);
      nav.appendChild(where);
      nav.appendChild(next);
      return nav;
    }

    function showAll() {
      Array.prototype.forEach.call(document.querySelectorAll('nav.fork'), function (nav) { nav.remove(); });
      articles.forEach(function (article) { article.hidden = false; });
      Array.prototype.forEach.call(document.querySelectorAll('section.branch'), function (section) { section.hidden = false; });
    }

    var toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.id = 'all-branches';
    toggle.textContent = 'Show every branch';
    toggle.addEventListener('click', function () {
      var all = document.body.classList.toggle('all-branches');
      toggle.textContent = all ? 'Show one branch' : 'Show every branch';
      if (all) { showAll(); } else { show(currentLeaf); }
    });
    document.querySelector('.chat-head').appendChild(toggle);
    document.body.classList.add('switchable');

    var target = location.hash.indexOf('#m-') === 0 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    show(target && target.matches('article.message') ? target : currentLeaf);
    if (target) { target.scrollIntoView(); }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
