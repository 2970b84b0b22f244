/* Nexus live pages: chat in a thread, the thread list of a channel, and the notifications menu.
   WebSockets to ws/channels/<id>/ and ws/notifications/ (the session cookie authenticates them,
   same origin); for each frame the page fetches the server-rendered fragment, so a live message
   looks exactly like a loaded one. Reconnects with backoff. No dependencies (htmx is used when
   present to activate swapped fragments). Loaded with defer on every page. */
(function () {
  "use strict";

  function socketUrl(path) {
    return (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + path;
  }

  function setStatus(text) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-live-status]"), function (el) { el.textContent = text; });
  }

  /* One socket per path with reconnects (1 s, 2 s, … 30 s) and a ping every 25 s to keep proxies open. */
  function live(path, onFrame, onOpen) {
    var delay = 1000, socket = null, ping = null;
    function open() {
      socket = new WebSocket(socketUrl(path));
      socket.onopen = function () { delay = 1000; if (onOpen) { onOpen(); } };
      socket.onmessage = function (event) {
        var frame;
        try { frame = JSON.parse(event.data); } catch (e) { return; }
        onFrame(frame);
      };
      socket.onclose = function (event) {
        window.clearInterval(ping);
        if (event.code === 4401 || event.code === 4403 || event.code === 4404) { setStatus("Offline"); return; }
        setStatus("Reconnecting…");
        window.setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      };
      ping = window.setInterval(function () {
        if (socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify({type: "ping"})); }
      }, 25000);
    }
    open();
  }

  function activate(el) { if (window.htmx && el) { window.htmx.process(el); } }

  function fetchFragment(url) {
    return window.fetch(url, {credentials: "same-origin", headers: {"HX-Request": "true"}}).then(function (r) {
      return r.ok ? r.text() : null;
    });
  }

  /* Put a message's fragment in the list: replace it if it is there, else append it. */
  function upsertMessage(list, html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var item = holder.content.firstElementChild;
    if (!item || !item.id) { return; }
    var existing = document.getElementById(item.id);
    if (existing) {
      existing.replaceWith(item);
    } else {
      list.appendChild(item);
      if (!item.classList.contains("chat-message--mine")) { item.scrollIntoView({block: "nearest"}); }
    }
    activate(item);
  }

  /* The thread's message count in the page header, from the `thread` of a message.created or
     message.deleted frame: the count as of that write, so a missed frame is made good by the next. */
  function showCount(count) {
    var n = Number(count);
    Array.prototype.forEach.call(document.querySelectorAll("[data-thread-count]"), function (el) {
      el.textContent = n + (n === 1 ? " message" : " messages");
    });
  }

  function chat(list) {
    var thread = Number(list.getAttribute("data-live-thread"));
    var base = list.getAttribute("data-message-url");
    live("/ws/channels/" + list.getAttribute("data-live-channel") + "/", function (frame) {
      if (frame.type === "subscribed") { setStatus("Live"); return; }
      if (frame.thread && frame.thread.id === thread) { showCount(frame.thread.message_count); }
      var id = null;
      if (/^message\./.test(frame.type) && frame.data && frame.data.thread === thread) { id = frame.data.id; }
      if (frame.type === "reaction.changed" && frame.data && frame.data.thread === thread) { id = frame.data.message; }
      if (id === null) { return; }
      fetchFragment(base + id + "/").then(function (html) { if (html) { upsertMessage(list, html); } });
    });
    /* The reply form posts with htmx (hx-swap="none"); its answer is the new message's fragment. */
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var form = event.detail.elt;
      if (!form || !form.hasAttribute || !form.hasAttribute("data-live-reply")) { return; }
      var errors = document.getElementById("reply-errors");
      if (event.detail.successful) {
        upsertMessage(list, event.detail.xhr.responseText);
        form.reset();
        if (errors) { errors.hidden = true; errors.textContent = ""; }
        var box = form.querySelector("textarea");
        if (box) { box.focus(); }
      } else if (errors) {
        errors.textContent = event.detail.xhr.responseText || "The message was not sent; try again.";
        errors.hidden = false;
      }
    });
  }

  function threadList(box) {
    var refresh = function () {
      fetchFragment(box.getAttribute("data-src")).then(function (html) {
        if (html !== null) { box.innerHTML = html; activate(box); }
      });
    };
    live("/ws/channels/" + box.getAttribute("data-live-channel") + "/", function (frame) {
      if (frame.type === "subscribed") { setStatus("Live"); return; }
      if (/^(thread|message)\./.test(frame.type)) { refresh(); }
    });
  }

  function notifications(menu) {
    var count = document.getElementById("notifications-count");
    var announce = document.getElementById("notifications-announce");
    var list = document.getElementById("notifications-list");
    var unread = 0, stale = true;
    function show(n) {
      unread = Math.max(0, n);
      count.textContent = unread > 99 ? "99+" : String(unread);
      count.hidden = unread === 0;
      menu.querySelector("summary").setAttribute("aria-label", unread ? "Notifications, " + unread + " unread" : "Notifications");
    }
    function load() {
      fetchFragment(menu.getAttribute("data-src")).then(function (html) {
        if (html !== null) { list.innerHTML = html; activate(list); stale = false; }
      });
    }
    menu.addEventListener("toggle", function () { if (menu.open && stale) { load(); } });
    document.body.addEventListener("nexus:unread", function (event) { show(Number(event.detail.value)); });
    live("/ws/notifications/", function (frame) {
      if (frame.type === "subscribed") { show(frame.unread); return; }
      if (frame.type === "notification.created" && frame.data) {
        show(unread + 1);
        announce.textContent = "New notification: " + frame.data.text;
        stale = true;
        if (menu.open) { load(); }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector("[data-live-thread]");
    if (list) { chat(list); }
    var box = document.querySelector("[data-live-threads]");
    if (box) { threadList(box); }
    var menu = document.querySelector("[data-live-notifications]");
    if (menu) { notifications(menu); }
  });
})();
