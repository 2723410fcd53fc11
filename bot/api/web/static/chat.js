// Web chat for the qualifications assistant. Talks to the same-origin proxy POST /chat/api/message.
// The sender id ("web:<uuid>") and the conversation are kept in localStorage, so a reload (or
// coming back later on the same browser) continues the same conversation.
// Messages are built with DOM nodes and textContent only: nothing the bot or user says is parsed as HTML.
(function () {
  "use strict";

  var SENDER_KEY = "csa.chat.sender";
  var HISTORY_KEY = "csa.chat.history";
  var MAX_HISTORY = 300;

  var log = document.getElementById("log");  // the live region
  var messages = document.getElementById("messages");  // its list of messages
  var logWrap = document.getElementById("log-wrap");
  var statusLine = document.getElementById("status");
  var form = document.getElementById("composer");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var restartButton = document.getElementById("restart");

  var busy = false;

  // ---- staff sign-in: an API token exchanged for a web chat session token (POST /chat/api/session).
  // Only the session token is kept, for this tab; signing out revokes it (DELETE /api/me/token).
  // A signed-in conversation is kept in sessionStorage, apart from the anonymous one in localStorage,
  // so it is gone when the tab closes or the person signs out.

  var TOKEN_KEY = "csa.chat.session";
  var ROLE_NAMES = { learner: "learner", assessor: "assessor", iqa: "IQA", admin: "admin" };
  var who = document.getElementById("who");
  var signin = document.getElementById("signin");
  var tokenInput = document.getElementById("token");
  var signout = document.getElementById("signout");

  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
  }

  function setToken(value) {
    try {
      if (value) sessionStorage.setItem(TOKEN_KEY, value);
      else sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* without storage the session lasts until the page is left */ }
  }

  function showSignedIn(person) {
    who.textContent = person ? "Signed in as " + person.display_name + " (" + (ROLE_NAMES[person.role] || person.role) + ")."
                             : "Not signed in: you chat as a learner.";
    signin.hidden = !!person;
    signout.hidden = !person;
  }

  function call(method, path, bearer) {
    return fetch(path, { method: method, headers: { "Authorization": "Bearer " + bearer } }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (!resp.ok) throw new Error((data && typeof data.detail === "string") ? data.detail : "That token is not valid.");
        return data;
      });
    });
  }

  signin.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = tokenInput.value.trim();
    if (!value) return;
    call("POST", "/chat/api/session", value).then(function (session) {
      tokenInput.value = "";
      setToken(session.token);
      showSignedIn(session);
      restart();  // a signed-in conversation of its own
    }).catch(function (error) {
      who.textContent = "Not signed in: " + error.message;
    });
  });

  signout.addEventListener("click", function () {
    var value = token();
    var done = function () {
      setToken(null);
      clear(sessionStorage);
      showSignedIn(null);
      who.textContent = "Signed out. Not signed in: you chat as a learner.";
      show();  // back to this browser's anonymous conversation
    };
    if (value) call("DELETE", "/api/me/token", value).then(done, done);  // an expired session is signed out too
    else done();
  });

  // ---- storage -------------------------------------------------------------------------------

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // The conversation (sender id and history) lives in sessionStorage while signed in, else in localStorage.
  function store() { return token() ? sessionStorage : localStorage; }

  function load(key, fallback) {
    try {
      var raw = store().getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  }

  function save(key, value) {
    try { store().setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: keep going */ }
  }

  function clear(storage) {
    try { storage.removeItem(SENDER_KEY); storage.removeItem(HISTORY_KEY); } catch (e) { /* nothing kept */ }
  }

  function sender() {
    var id = load(SENDER_KEY, null);
    if (typeof id !== "string" || !/^web:[0-9a-f-]{36}$/.test(id)) {
      id = "web:" + uuid4();
      save(SENDER_KEY, id);
    }
    return id;
  }

  var history = [];

  function loadHistory() {
    history = load(HISTORY_KEY, []);
    if (!Array.isArray(history)) history = [];
  }

  function remember(entry) {
    history.push(entry);
    if (history.length > MAX_HISTORY) history = history.slice(history.length - MAX_HISTORY);
    save(HISTORY_KEY, history);
  }

  // ---- formatting: *bold*, _italic_, "- " lists, links ---------------------------------------

  var INLINE = /\*([^*\n]+)\*|_([^_\n]+)_|(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]])/g;

  function isWordChar(ch) { return !!ch && /[A-Za-z0-9_*]/.test(ch); }

  function inline(text, parent) {
    var last = 0, m;
    INLINE.lastIndex = 0;
    while ((m = INLINE.exec(text)) !== null) {
      var before = text.charAt(m.index - 1), after = text.charAt(m.index + m[0].length);
      var emphasis = m[1] !== undefined || m[2] !== undefined;
      if (emphasis && (isWordChar(before) || isWordChar(after))) continue; // 2*3*4, snake_case
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var node;
      if (m[1] !== undefined) { node = document.createElement("strong"); node.textContent = m[1]; }
      else if (m[2] !== undefined) { node = document.createElement("em"); node.textContent = m[2]; }
      else {
        node = document.createElement("a");
        node.href = m[3]; node.textContent = m[3];
        node.target = "_blank"; node.rel = "noopener noreferrer";
      }
      parent.appendChild(node);
      last = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function formatInto(text, bubble) {
    var list = null;
    text.split("\n").forEach(function (line) {
      var item = /^\s*[-•] (.*)$/.exec(line);
      if (item) {
        if (!list) { list = document.createElement("ul"); bubble.appendChild(list); }
        var li = document.createElement("li");
        inline(item[1], li);
        list.appendChild(li);
        return;
      }
      list = null;
      if (!line.trim()) return;
      var p = document.createElement("p");
      var source = /^_\((.*)\)_$/.exec(line.trim());
      if (source) { p.className = "source"; p.textContent = "(" + source[1] + ")"; }
      else inline(line, p);
      bubble.appendChild(p);
    });
  }

  // ---- rendering -----------------------------------------------------------------------------

  function closeChoices() {
    Array.prototype.forEach.call(log.querySelectorAll(".choice:not(:disabled)"), function (b) { b.disabled = true; });
  }

  function render(entry, index) {
    var li = document.createElement("li");
    li.className = "msg " + entry.from;
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = entry.from === "user" ? "You said:" : entry.from === "error" ? "Problem:" : "Assistant said:";
    li.appendChild(who);
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    if (entry.from === "bot") formatInto(entry.text || "", bubble);
    else bubble.textContent = entry.text;
    if (entry.image) {
      var img = document.createElement("img");
      img.src = entry.image; img.alt = "";
      bubble.appendChild(img);
    }
    li.appendChild(bubble);
    if (entry.buttons && entry.buttons.length) {
      var group = document.createElement("fieldset");
      group.className = "choices";
      var legend = document.createElement("legend");
      legend.textContent = "Suggested replies";
      group.appendChild(legend);
      entry.buttons.forEach(function (b, n) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "choice" + (entry.chosen === n ? " chosen" : "");
        button.textContent = b.title;
        button.disabled = entry.chosen !== undefined && entry.chosen !== null;
        button.addEventListener("click", function () {
          if (busy) return;
          if (index !== undefined && history[index]) { history[index].chosen = n; save(HISTORY_KEY, history); }
          closeChoices();
          button.classList.add("chosen");
          send(b.payload, b.title);
          input.focus();  // the chosen button is now disabled: keep the keyboard in the conversation
        });
        group.appendChild(button);
      });
      li.appendChild(group);
    }
    if (entry.retry) {
      var again = document.createElement("button");
      again.type = "button"; again.className = "choice"; again.textContent = "Try again";
      again.addEventListener("click", function () { li.remove(); send(entry.retry.text, entry.retry.shown, true); });
      li.appendChild(again);
    }
    messages.appendChild(li);
    return li;
  }

  function scrollToEnd() { logWrap.scrollTop = logWrap.scrollHeight; }

  // A new answer is shown from its start (its first bubble at the top), so a long one is read from the beginning.
  function showStart(li) {
    logWrap.scrollTop += li.getBoundingClientRect().top - logWrap.getBoundingClientRect().top - 8;
  }

  function add(entry) {
    if (entry.from === "error") return render(entry);
    remember(entry);
    return render(entry, history.length - 1);
  }

  // ---- talking to the bot --------------------------------------------------------------------

  function setBusy(on) {
    busy = on;
    sendButton.disabled = on;
    log.setAttribute("aria-busy", on ? "true" : "false");
    statusLine.textContent = on ? "The assistant is typing…" : "";
  }

  function send(text, shown, retrying) {
    text = (text || "").trim();
    if (!text || busy) return;
    if (!retrying) {
      // a quick reply is shown as its title; a hidden message (the greeting) is not shown
      if (shown !== null) add({ from: "user", text: shown || text });
      closeChoices();
      scrollToEnd();
    }
    setBusy(true);
    var headers = { "Content-Type": "application/json" };
    if (token()) headers["Authorization"] = "Bearer " + token();
    fetch("/chat/api/message", {
      method: "POST",
      headers: headers,
      body: JSON.stringify({ sender: sender(), message: text })
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (!resp.ok) throw new Error((data && typeof data.detail === "string") ? data.detail : "The assistant did not answer.");
        return data;
      });
    }).then(function (data) {
      setBusy(false);
      var first = null;
      (data.messages || []).forEach(function (m) {
        var li = add({ from: "bot", text: m.text || "", buttons: m.buttons || [], image: m.image || null });
        first = first || li;
      });
      if (first) showStart(first);
      if (!(data.messages || []).length) statusLine.textContent = "The assistant had nothing to add.";
    }).catch(function (error) {
      setBusy(false);
      add({ from: "error", text: error.message || "Something went wrong.", retry: { text: text, shown: shown } });
      scrollToEnd();
    });
  }

  // ---- wiring --------------------------------------------------------------------------------

  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 4, 180) + "px";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim() || busy) return;
    input.value = "";
    autosize();
    send(text);
    input.focus();
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  input.addEventListener("input", autosize);

  function restart() {
    history = [];
    save(HISTORY_KEY, history);
    save(SENDER_KEY, "web:" + uuid4());
    messages.textContent = "";
    send("/greet", null);
    input.focus();
  }

  restartButton.addEventListener("click", function () {
    if (!window.confirm("Start a new conversation? This clears the conversation shown here.")) return;
    restart();
  });

  // The conversation of the current store, as it was left: a new one is greeted.
  function show() {
    loadHistory();
    messages.textContent = "";
    history.forEach(function (entry, i) { render(entry, i); });
    scrollToEnd();
    // After a reload only the last answer's quick replies stay usable (earlier ones were passed by).
    var items = log.querySelectorAll(".msg");
    Array.prototype.forEach.call(items, function (li, i) {
      if (i < items.length - 1) Array.prototype.forEach.call(li.querySelectorAll(".choice"), function (b) { b.disabled = true; });
    });
    if (!history.length) send("/greet", null);
  }

  if (token()) {
    // a reload keeps the session while it is valid; an expired or revoked one falls back to anonymous
    call("GET", "/api/me", token()).then(function (person) { showSignedIn(person); show(); }, function () {
      setToken(null);
      clear(sessionStorage);
      showSignedIn(null);
      show();
    });
  } else {
    show();
  }
})();
