/* 揭榜助手 web page: vanilla JS, no build step. Every notice, form and rule comes from the API;
   every piece of data is inserted with textContent / DOM APIs (never innerHTML), so any "<script>"
   typed by a user or found in a notice is shown as text. */
"use strict";

(function () {
  // --- basics ----------------------------------------------------------------------------------------

  const params = new URLSearchParams(window.location.search);
  const TOKEN = params.get("token") || "";
  const FIXED_TODAY = /^\d{4}-\d{2}-\d{2}$/.test(params.get("today") || "") ? params.get("today") : "";
  const STORE_PREFIX = "jiebang:draft:";

  const $ = (id) => document.getElementById(id);

  /** el("div", {className: "x", text: "…", attrs: {…}, on: {click: f}}, child, …) */
  function el(tag, props, ...kids) {
    const node = document.createElement(tag);
    const p = props || {};
    if (p.className) node.className = p.className;
    if (p.text !== undefined && p.text !== null) node.textContent = String(p.text);
    if (p.attrs) {
      for (const [k, v] of Object.entries(p.attrs)) {
        if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : String(v));
      }
    }
    if (p.on) for (const [k, f] of Object.entries(p.on)) node.addEventListener(k, f);
    for (const kid of kids) {
      if (kid === null || kid === undefined || kid === false) continue;
      node.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function debounce(fn, ms) {
    let timer = 0;
    const wrapped = (...args) => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => fn(...args), ms);
    };
    wrapped.now = (...args) => {
      window.clearTimeout(timer);
      return fn(...args);
    };
    return wrapped;
  }

  function todayISO() {
    if (FIXED_TODAY) return FIXED_TODAY;
    // Asia/Shanghai, whatever the browser's zone
    try {
      const parts = new Intl.DateTimeFormat("en-CA", {
        timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit",
      }).format(new Date());
      if (/^\d{4}-\d{2}-\d{2}$/.test(parts)) return parts;
    } catch (e) { /* older browsers */ }
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  }

  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ""));
    if (!m) return String(iso || "");
    return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
  }

  /** Characters as the validators count them: every non-whitespace character counts 1. */
  function countChars(text) {
    let n = 0;
    for (const ch of String(text || "")) if (!/\s/u.test(ch)) n += 1;
    return n;
  }

  class ApiError extends Error {
    constructor(message, status, data) {
      super(message);
      this.status = status;
      this.data = data;
    }
  }

  function withToken(headers) {
    const h = Object.assign({}, headers || {});
    if (TOKEN) h.Authorization = `Bearer ${TOKEN}`;
    return h;
  }

  async function api(path, options) {
    const opts = options || {};
    const init = { method: opts.method || "GET", headers: withToken({ Accept: "application/json" }) };
    if (opts.body !== undefined) {
      init.body = JSON.stringify(opts.body);
      init.headers["Content-Type"] = "application/json";
    }
    if (opts.signal) init.signal = opts.signal;
    let resp;
    try {
      resp = await fetch(path, init);
    } catch (e) {
      if (e && e.name === "AbortError") throw e;
      throw new ApiError("无法连接服务器，请检查网络后重试。", 0, null);
    }
    if (opts.raw) return resp;
    let data = null;
    try {
      data = await resp.json();
    } catch (e) {
      data = null;
    }
    if (!resp.ok) throw new ApiError(errorText(resp.status, data), resp.status, data);
    return data;
  }

  function errorText(status, data) {
    if (data && typeof data.error === "string" && data.error) return data.error;
    if (data && typeof data.detail === "string" && data.detail) return data.detail;
    if (status === 401 || status === 403) return "没有访问权限：请使用带有效口令（token）的链接打开本页。";
    if (status === 404) return "没有找到所需内容，请返回重试。";
    if (status === 429) return "请求过于频繁，请稍候再试。";
    if (status >= 500) return "服务器暂时出错，请稍后再试。";
    return "请求未能完成，请稍后再试。";
  }

  function showGlobalError(message) {
    const box = $("global-error");
    if (!message) {
      box.hidden = true;
      clear(box);
      return;
    }
    clear(box).append(
      el("span", { text: message }),
      el("button", { className: "btn btn-ghost btn-small", text: "知道了", attrs: { type: "button" }, on: { click: () => showGlobalError("") } }),
    );
    box.hidden = false;
  }

  function qs(obj) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null && v !== "") u.set(k, String(v));
    return u.toString();
  }

  // --- notices (names for badges, reader) ----------------------------------------------------------------

  let noticesPromise = null;
  const noticeNames = new Map();

  function loadNotices() {
    if (!noticesPromise) {
      noticesPromise = api("/api/notices").then((data) => {
        const list = Array.isArray(data) ? data : (data && Array.isArray(data.notices) ? data.notices : []);
        for (const n of list) noticeNames.set(n.id, n.short || n.title || n.id);
        return list;
      }).catch((e) => {
        noticesPromise = null;
        throw e;
      });
    }
    return noticesPromise;
  }

  function noticeName(id) {
    return noticeNames.get(id) || id || "";
  }

  function noticeLink(id, start, end) {
    let h = `#notice/${encodeURIComponent(id)}`;
    if (Number.isInteger(start)) h += `/${start}-${Number.isInteger(end) ? end : start}`;
    return h;
  }

  // --- status words ---------------------------------------------------------------------------------------

  const STATUS_TEXT = {
    past: "已截止", closed: "已截止", passed: "已截止", expired: "已截止",
    today: "今天截止", due_today: "今天截止",
    open: "未截止", upcoming: "未截止", future: "未截止", pending: "未截止",
    not_deadline: "非截止日期", info: "非截止日期", unknown: "未写明",
  };

  function statusClass(status) {
    const s = String(status || "");
    if (/past|closed|passed|expired|已截止|已过/.test(s)) return "st-past";
    if (/today|今天|当天/.test(s)) return "st-today";
    if (/open|upcoming|future|pending|未截止|还有|剩/.test(s)) return "st-open";
    return "st-info";
  }

  function statusBadge(status, text) {
    if (!status && !text) return null;
    const label = text || STATUS_TEXT[status] || String(status);
    return el("span", { className: `badge ${statusClass(status || label)}`, text: label });
  }

  /** Text with 已截止/未截止 coloured; used for answers. */
  function appendWithStatus(parent, text) {
    const re = /(尚未截止|已截止|未截止|今天截止)/g;
    let last = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      if (m.index > last) parent.append(document.createTextNode(text.slice(last, m.index)));
      parent.append(el("span", { className: `inline-status ${statusClass(m[1])}`, text: m[1] }));
      last = m.index + m[1].length;
    }
    if (last < text.length) parent.append(document.createTextNode(text.slice(last)));
  }

  // --- routing --------------------------------------------------------------------------------------------

  const VIEWS = ["ask", "lookup", "draft", "notice"];

  function showView(name) {
    for (const v of VIEWS) {
      $(`view-${v}`).hidden = v !== name;
      const tab = $(`tab-${v}`);
      if (v === name) tab.setAttribute("aria-current", "page");
      else tab.removeAttribute("aria-current");
    }
    document.body.dataset.view = name;
  }

  function route() {
    const hash = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    const parts = hash.split("/");
    const head = parts[0];
    if (head === "lookup") {
      showView("lookup");
      initLookup();
    } else if (head === "draft") {
      showView("draft");
      initDraft(parts[1] || "");
    } else if (head === "notice" && parts[1]) {
      showView("notice");
      const m = /^(\d+)(?:-(\d+))?$/.exec(parts[2] || "");
      openNotice(parts[1], m ? Number(m[1]) : null, m && m[2] ? Number(m[2]) : null);
    } else if (head === "notices" || head === "notice") {
      showView("notice");
      showNoticeIndex();
    } else {
      showView("ask");
      initAsk();
    }
  }

  // --- 问答 ------------------------------------------------------------------------------------------------

  let askReady = false;
  let conversation = null;
  let askBusy = false;

  function initAsk() {
    if (askReady) return;
    askReady = true;
    $("ask-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      ask($("ask-input").value);
    });
    $("ask-input").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        ask($("ask-input").value);
      }
    });
    $("ask-new").addEventListener("click", () => {
      conversation = null;
      clear($("thread"));
      closeCitation();
      $("ask-status").textContent = "已开始新对话。";
      $("ask-input").value = "";
      $("ask-input").focus();
      setShareUrl("");
    });
    $("cite-close").addEventListener("click", closeCitation);
    loadNotices().then(renderExamples).catch(() => {});
  }

  function renderExamples(notices) {
    const box = clear($("ask-examples"));
    const templates = ["%s的需求表最晚什么时候交？", "%s的咨询电话是多少？", "%s的财政补助最多多少？"];
    notices.slice(0, 3).forEach((n, i) => {
      const q = templates[i % templates.length].replace("%s", n.short || n.title || n.id);
      box.append(el("button", {
        className: "chip", text: q, attrs: { type: "button" },
        on: { click: () => { $("ask-input").value = q; ask(q); } },
      }));
    });
  }

  function setShareUrl(question) {
    const u = new URL(window.location.href);
    if (question) u.searchParams.set("q", question);
    else u.searchParams.delete("q");
    u.hash = "";
    window.history.replaceState(null, "", u.pathname + u.search);
    return u.origin + u.pathname + u.search;
  }

  async function ask(raw) {
    const question = String(raw || "").trim();
    if (!question) {
      $("ask-status").textContent = "请先输入问题。";
      $("ask-input").focus();
      return;
    }
    if (askBusy) return;
    askBusy = true;
    $("ask-submit").disabled = true;
    $("ask-status").textContent = "正在查找通知原文……";
    const body = { question };
    if (FIXED_TODAY) body.today = FIXED_TODAY;
    if (conversation) body.conversation = conversation;
    try {
      const data = await api("/api/ask", { method: "POST", body });
      if (data && data.conversation) conversation = data.conversation;
      const share = setShareUrl(question);
      renderAnswer(question, data || {}, share);
      $("ask-status").textContent = "";
      $("ask-input").value = "";
    } catch (e) {
      $("ask-status").textContent = e.message || "提问未能完成，请稍后再试。";
    } finally {
      askBusy = false;
      $("ask-submit").disabled = false;
    }
  }

  function renderAnswer(question, data, shareUrl) {
    const cits = Array.isArray(data.citations) ? data.citations : [];
    const byN = new Map(cits.map((c) => [Number(c.n), c]));
    const card = el("article", { className: `answer${data.refused ? " refused" : ""}` });
    card.append(el("div", { className: "question", text: question }));
    if (data.context_lost) {
      card.append(el("div", { className: "muted small-note", text: "上一轮对话已过期，这个问题按新问题回答；如需追问，请把通知名称一并写上。" }));
    }

    const body = el("div", { className: "answer-body" });
    const lines = String(data.answer || "").split("\n");
    for (const line of lines) {
      const p = el("p");
      const re = /\[(\d+)\]/g;
      let last = 0;
      let m;
      while ((m = re.exec(line)) !== null) {
        if (m.index > last) appendWithStatus(p, line.slice(last, m.index));
        const c = byN.get(Number(m[1]));
        if (c) p.append(citeButton(c));
        else p.append(document.createTextNode(m[0]));
        last = m.index + m[0].length;
      }
      if (last < line.length) appendWithStatus(p, line.slice(last));
      if (line.trim()) body.append(p);
    }
    card.append(body);

    if (cits.length) {
      const list = el("ol", { className: "sources", attrs: { "aria-label": "来源" } });
      for (const c of cits) {
        const li = el("li");
        li.append(citeButton(c), " ", el("span", { className: "src-path", text: c.path || noticeName(c.notice) }), "：");
        li.append(el("q", { className: "src-quote", text: c.quote || "" }));
        list.append(li);
      }
      card.append(el("div", { className: "sources-title", text: "来源" }), list);
    }

    const share = el("div", { className: "share" });
    share.append(
      el("a", { className: "share-link", text: "分享此回答的链接", attrs: { href: shareUrl } }),
      el("button", {
        className: "btn btn-ghost btn-small", text: "复制链接", attrs: { type: "button" },
        on: {
          click: async (ev) => {
            const btn = ev.currentTarget;
            try {
              await navigator.clipboard.writeText(shareUrl);
              btn.textContent = "已复制";
            } catch (e) {
              btn.textContent = "请长按链接复制";
            }
          },
        },
      }),
    );
    card.append(share);
    const thread = $("thread");
    thread.prepend(card);
  }

  function citeButton(c) {
    return el("button", {
      className: "cite", text: `[${c.n}]`,
      attrs: { type: "button", title: `查看引文 ${c.n} 所在段落`, "data-n": c.n, "aria-label": `引文${c.n}` },
      on: { click: () => openCitation(c) },
    });
  }

  let citeSeq = 0;

  async function openCitation(c) {
    const seq = ++citeSeq;
    const panel = $("cite-panel");
    panel.hidden = false;
    document.body.classList.add("cite-open");
    $("cite-title").textContent = `引文 [${c.n}]`;
    $("cite-path").textContent = c.path || noticeName(c.notice);
    const bodyBox = clear($("cite-body"));
    bodyBox.append(el("p", { className: "muted", text: "正在载入整段原文……" }));
    $("cite-read").setAttribute("href", noticeLink(c.notice, c.start, c.end));
    try {
      const p = await api(`/api/passage?${qs({ notice: c.notice, start: c.start, end: c.end })}`);
      if (seq !== citeSeq) return;
      clear(bodyBox);
      if (p.heading) $("cite-path").textContent = c.path || `${noticeName(p.notice)} › ${p.heading}`;
      bodyBox.append(highlighted(String(p.text || ""), Number(p.start), c));
    } catch (e) {
      if (seq !== citeSeq) return;
      clear(bodyBox).append(
        el("p", { className: "error", text: e.message }),
        el("blockquote", { text: c.quote || "" }),
      );
    }
    if (window.matchMedia("(max-width: 899px)").matches) panel.scrollTop = 0;
    else panel.scrollIntoView({ block: "nearest" });
  }

  /** The paragraph with the cited quote marked. */
  function highlighted(text, pStart, c) {
    const box = el("p", { className: "passage-text" });
    let a = Number.isFinite(pStart) && Number.isInteger(c.start) ? c.start - pStart : -1;
    let b = Number.isInteger(c.end) ? c.end - pStart : -1;
    if (!(a >= 0 && b > a && b <= text.length && (!c.quote || text.slice(a, b) === c.quote))) {
      a = c.quote ? text.indexOf(c.quote) : -1;
      b = a >= 0 ? a + c.quote.length : -1;
    }
    if (a < 0) {
      box.textContent = text;
      return box;
    }
    box.append(text.slice(0, a), el("mark", { className: "quote-mark", text: text.slice(a, b) }), text.slice(b));
    return box;
  }

  function closeCitation() {
    citeSeq++;
    $("cite-panel").hidden = true;
    document.body.classList.remove("cite-open");
  }

  // --- 查规则 ------------------------------------------------------------------------------------------------

  let lookupReady = false;
  let lookupSeq = 0;
  let lookupToday = "";

  function initLookup() {
    if (lookupReady) return;
    lookupReady = true;
    lookupToday = todayISO();
    $("today-input").value = lookupToday;
    const run = debounce(() => lookup($("lookup-input").value), 200);
    $("lookup-input").addEventListener("input", run);
    $("lookup-input").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        run.now();
      }
    });
    $("today-input").addEventListener("change", () => {
      lookupToday = /^\d{4}-\d{2}-\d{2}$/.test($("today-input").value) ? $("today-input").value : todayISO();
      loadDeadlines();
      run.now();
    });
    $("deadlines-upcoming").addEventListener("change", () => renderDeadlines());
    $("today-reset").addEventListener("click", () => {
      lookupToday = todayISO();
      $("today-input").value = lookupToday;
      loadDeadlines();
      run.now();
    });
    loadNotices().catch(() => {}).then(loadDeadlines);
    $("lookup-status").textContent = "输入关键词即可查到截止日期、金额门槛与上限、联系方式等规则。";
  }

  async function lookup(raw) {
    const q = String(raw || "").trim();
    const seq = ++lookupSeq;
    const cards = $("lookup-results");
    const passages = $("lookup-passages");
    if (!q) {
      clear(cards);
      clear(passages);
      $("lookup-status").textContent = "输入关键词即可查到截止日期、金额门槛与上限、联系方式等规则。";
      return;
    }
    $("lookup-status").textContent = "正在查询……";
    try {
      const rules = await api(`/api/lookup?${qs({ q, today: lookupToday })}`);
      if (seq !== lookupSeq) return;
      const list = Array.isArray(rules) ? rules : (rules && (rules.cards || rules.results)) || [];
      clear(cards);
      for (const card of list) cards.append(ruleCard(card));
      $("lookup-status").textContent = list.length
        ? `找到${list.length}条规则。`
        : "没有直接对应的规则卡片，可看下方相关原文，或换个说法。";
    } catch (e) {
      if (seq !== lookupSeq) return;
      $("lookup-status").textContent = e.message;
      return;
    }
    searchPassages(q, seq);
  }

  // Passages are slower than rule cards: asked only once the typing has paused, after the cards.
  const searchPassages = debounce(async (q, seq) => {
    if (seq !== lookupSeq) return;
    try {
      const hits = await api(`/api/search?${qs({ q, k: 5 })}`);
      if (seq === lookupSeq) renderPassages(hits);
    } catch (e) {
      if (seq === lookupSeq) clear($("lookup-passages"));
    }
  }, 500);

  const KIND_TEXT = {
    deadline: "截止日期", window: "办理期间", date: "日期", threshold: "门槛", cap: "上限", rate: "比例",
    schedule: "拨付安排", quota: "数量限制", period: "期限", contact: "联系方式", channel: "报送方式",
    copies: "份数", procedure: "流程", requirement: "要求", who: "申报主体", definition: "定义", list: "清单",
    form_item: "表格栏目", ambiguity: "须注意",
  };

  function ruleCard(c) {
    const card = el("article", { className: `card rule-card kind-${String(c.kind || "other").replace(/[^a-z_-]/gi, "")}` });
    const head = el("div", { className: "card-head" });
    if (c.notice) head.append(el("span", { className: "badge notice-badge", text: c.notice_short || noticeName(c.notice) }));
    const kind = c.kind_label || KIND_TEXT[c.kind] || "";
    if (kind) head.append(el("span", { className: "badge kind-badge", text: kind }));
    if (c.status || c.status_text) head.append(statusBadge(c.status, c.status_text));
    card.append(head);
    if (c.label) card.append(el("h3", { className: "card-title", text: c.label }));
    const value = c.value_text || c.value || (c.date ? `${formatDate(c.date)}${c.time ? ` ${c.time}` : ""}` : "");
    if (value !== "" && value !== null && value !== undefined) {
      const v = el("div", { className: "card-value", text: typeof value === "object" ? JSON.stringify(value) : value });
      if (c.unit && typeof c.value !== "string") v.append(` ${c.unit}`);
      card.append(v);
    }
    if (c.status_detail || c.days_text) card.append(el("div", { className: "card-note", text: c.status_detail || c.days_text }));
    if (c.note) card.append(el("div", { className: "card-note", text: c.note }));
    const contacts = [];
    if (c.office && c.office !== c.label) contacts.push(el("span", { text: c.office }));
    if (c.person) contacts.push(el("span", { text: c.person }));
    const phones = Array.isArray(c.phones) ? c.phones : (c.phones ? [c.phones] : []);
    if (c.phone) phones.push(c.phone);
    for (const ph of phones) {
      const tel = String(ph).replace(/[^\d+-]/g, "");
      contacts.push(tel ? el("a", { text: ph, attrs: { href: `tel:${tel}` } }) : el("span", { text: ph }));
    }
    if (c.email) contacts.push(el("a", { text: c.email, attrs: { href: `mailto:${c.email}` } }));
    if (contacts.length) {
      const line = el("div", { className: "card-contacts" });
      contacts.forEach((x, i) => { if (i) line.append("　"); line.append(x); });
      card.append(line);
    }
    if (c.quote) {
      const bq = el("blockquote", { className: "card-quote" }, el("q", { text: c.quote }));
      card.append(bq);
    }
    if (c.notice) {
      const start = Number.isInteger(c.start) ? c.start : null;
      card.append(el("a", {
        className: "card-link", text: c.path ? `原文：${c.path}` : "查看原文",
        attrs: { href: noticeLink(c.notice, start, Number.isInteger(c.end) ? c.end : null) },
      }));
    }
    return card;
  }

  function renderPassages(data) {
    const box = clear($("lookup-passages"));
    const hits = data && Array.isArray(data.hits) ? data.hits : (Array.isArray(data) ? data : []);
    if (!hits.length) return;
    box.append(el("h2", { className: "section-title small", text: "相关原文" }));
    for (const h of hits) {
      const item = el("a", {
        className: "passage",
        attrs: { href: noticeLink(h.notice, Number.isInteger(h.start) ? h.start : null, Number.isInteger(h.end) ? h.end : null) },
      });
      item.append(el("div", { className: "passage-path", text: h.path || noticeName(h.notice) }));
      const t = String(h.text || "");
      item.append(el("div", { className: "passage-snippet", text: t.length > 160 ? `${t.slice(0, 160)}……` : t }));
      box.append(item);
    }
  }

  let deadlineRows = [];

  async function loadDeadlines() {
    const box = $("deadlines");
    $("deadlines-note").textContent = `按 ${formatDate(lookupToday)} 计算。`;
    try {
      const data = await api(`/api/deadlines?${qs({ today: lookupToday })}`);
      deadlineRows = Array.isArray(data) ? data : (data && (data.deadlines || data.steps || data.items)) || [];
      renderDeadlines();
    } catch (e) {
      clear(box).append(el("p", { className: "error", text: e.message }));
    }
  }

  function renderDeadlines() {
    const upcoming = $("deadlines-upcoming").checked;
    const rows = upcoming ? deadlineRows.filter((r) => statusClass(r.status || r.status_text) !== "st-past") : deadlineRows;
    clear($("deadlines")).append(deadlineTable(rows));
  }

  function deadlineTable(rows) {
    const table = el("table", { className: "deadlines" });
    const head = el("tr");
    for (const h of ["通知", "事项", "日期", "状态", "原文"]) head.append(el("th", { text: h, attrs: { scope: "col" } }));
    table.append(el("thead", {}, head));
    const tbody = el("tbody");
    for (const r of rows) {
      const tr = el("tr", { className: statusClass(r.status || r.status_text) });
      tr.append(el("td", { attrs: { "data-h": "通知" }, text: r.notice_short || noticeName(r.notice) }));
      const what = el("td", { attrs: { "data-h": "事项" } });
      if (r.kind_label) what.append(el("span", { className: "badge kind-badge", text: r.kind_label }), " ");
      what.append(r.label || r.step || r.what || "");
      if (r.actor_label) what.append(el("span", { className: "st-detail", text: r.actor_label }));
      tr.append(what);
      tr.append(el("td", { attrs: { "data-h": "日期" }, text: r.date_text || `${formatDate(r.date)}${r.time ? ` ${r.time}` : ""}` }));
      const st = el("td", { attrs: { "data-h": "状态" } });
      const badge = statusBadge(r.status, r.status_text);
      if (badge) st.append(badge);
      const detail = r.status_detail || r.days_text || "";
      if (detail) st.append(el("span", { className: "st-detail", text: detail }));
      tr.append(st);
      const src = el("td", { attrs: { "data-h": "原文" } });
      if (r.quote || r.notice) {
        src.append(el("a", {
          text: r.quote ? `“${r.quote}”` : "查看",
          className: "quote-link",
          attrs: { href: noticeLink(r.notice, Number.isInteger(r.start) ? r.start : null, Number.isInteger(r.end) ? r.end : null) },
        }));
      }
      tr.append(src);
      tbody.append(tr);
    }
    if (!rows.length) tbody.append(el("tr", {}, el("td", { text: "暂无截止日期。", attrs: { colspan: 5 } })));
    table.append(tbody);
    return table;
  }

  // --- 通知原文 -----------------------------------------------------------------------------------------------

  let currentNotice = null; // {id, data, paras: [{start, end, node}]}

  async function showNoticeIndex() {
    $("notice-index").hidden = false;
    $("notice-reader").hidden = true;
    const list = $("notice-list");
    try {
      const notices = await loadNotices();
      clear(list);
      for (const n of notices) {
        const li = el("li");
        li.append(el("a", { text: `${n.short || n.id}：${n.title || ""}`, attrs: { href: noticeLink(n.id) } }));
        const meta = [n.issuer, n.doc_number, n.issue_date ? formatDate(n.issue_date) : ""].filter(Boolean).join("　");
        if (meta) li.append(el("div", { className: "muted", text: meta }));
        list.append(li);
      }
    } catch (e) {
      clear(list).append(el("li", { className: "error", text: e.message }));
    }
  }

  async function openNotice(id, start, end) {
    $("notice-index").hidden = true;
    $("notice-reader").hidden = false;
    if (!currentNotice || currentNotice.id !== id) {
      clear($("notice-text")).append(el("p", { className: "muted", text: "正在载入通知原文……" }));
      clear($("notice-toc"));
      $("notice-title").textContent = "";
      $("notice-meta").textContent = "";
      try {
        const [data] = await Promise.all([api(`/api/notices/${encodeURIComponent(id)}`), loadNotices().catch(() => [])]);
        currentNotice = renderNotice(id, data);
      } catch (e) {
        currentNotice = null;
        clear($("notice-text")).append(el("p", { className: "error", text: e.message }));
        return;
      }
    }
    markRange(start, end);
  }

  function renderNotice(id, data) {
    $("notice-title").textContent = data.title || noticeName(id);
    $("notice-meta").textContent = [noticeName(id), data.issuer, data.doc_number, data.issue_date ? formatDate(data.issue_date) : ""]
      .filter(Boolean).join("　");
    const text = String(data.text || "");
    const headings = Array.isArray(data.headings) ? data.headings.slice() : [];
    const headAt = new Map();
    for (const h of headings) if (Number.isInteger(h.start) && !headAt.has(h.start)) headAt.set(h.start, h);
    const article = clear($("notice-text"));
    const paras = [];
    let pos = 0;
    for (const line of text.split("\n")) {
      const start = pos;
      const end = pos + line.length;
      pos = end + 1;
      if (!line.trim()) continue;
      const lead = line.length - line.trimStart().length;
      const h = headAt.get(start) || headAt.get(start + lead);
      const node = el("p", { className: "nt-para", attrs: { id: `nt-${start}` } });
      let bold = 0;
      if (h) {
        const title = String(h.title || "");
        const body = line.trim();
        if (body.length <= title.length + 2 || title.startsWith(body)) {
          node.className = `nt-heading lvl-${Math.min(3, Math.max(0, Number(h.level) || 0))}`;
        } else if (title && body.startsWith(title)) {
          bold = lead + title.length; // an inline heading such as “（一）” before its paragraph
        }
      }
      const para = { start, end, node, text: line, bold };
      paintLine(para, -1, -1);
      node.dataset.start = String(start);
      article.append(node);
      paras.push(para);
    }
    // heading tree
    const toc = clear($("notice-toc"));
    const root = el("ul", { className: "toc-list" });
    const stack = [{ level: -1, list: root }];
    for (const h of headings) {
      const level = Number.isFinite(Number(h.level)) ? Number(h.level) : 1;
      while (stack.length > 1 && stack[stack.length - 1].level >= level) stack.pop();
      const li = el("li");
      let label = String(h.title || "");
      if (label.length <= 5 && Number.isInteger(h.start)) {
        // a bare marker such as “（一）”: show the start of its sentence too
        const lineEnd = text.indexOf("\n", h.start);
        const rest = text.slice(h.start + label.length, lineEnd < 0 ? text.length : lineEnd).trim();
        if (rest) label += rest.length > 16 ? `${rest.slice(0, 16)}…` : rest;
      }
      li.append(el("a", { text: label, attrs: { href: noticeLink(id, h.start, null) } }));
      stack[stack.length - 1].list.append(li);
      const sub = el("ul", { className: "toc-list" });
      li.append(sub);
      stack.push({ level, list: sub });
    }
    for (const ul of root.querySelectorAll("ul")) if (!ul.firstChild) ul.remove();
    toc.append(root);
    $("notice-toc-box").hidden = !headings.length;
    if (window.matchMedia("(max-width: 899px)").matches) $("notice-toc-box").open = false;
    return { id, data, paras };
  }

  /** A line of the notice: its inline heading in bold, [a, b) marked. */
  function paintLine(para, a, b) {
    const t = para.text;
    const cuts = [...new Set([0, para.bold, a, b, t.length].filter((x) => x >= 0 && x <= t.length))].sort((x, y) => x - y);
    clear(para.node);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [x, y] = [cuts[i], cuts[i + 1]];
      if (y <= x) continue;
      let node = document.createTextNode(t.slice(x, y));
      if (x >= a && y <= b) node = el("mark", { className: "quote-mark" }, node);
      if (y <= para.bold) node = el("strong", {}, node);
      para.node.append(node);
    }
  }

  function markRange(start, end) {
    if (!currentNotice) return;
    for (const p of currentNotice.paras) {
      if (p.node.classList.contains("hit")) {
        p.node.classList.remove("hit");
        paintLine(p, -1, -1);
      }
    }
    if (start === null || start === undefined) {
      window.scrollTo(0, 0);
      return;
    }
    const exact = end !== null && end !== undefined && end > start;
    const stop = exact ? end : start + 1;
    let first = null;
    for (const p of currentNotice.paras) {
      if (p.end <= start || p.start >= stop) continue;
      p.node.classList.add("hit");
      if (exact) paintLine(p, Math.max(0, start - p.start), Math.min(p.text.length, stop - p.start));
      if (!first) first = p.node;
    }
    if (first) first.scrollIntoView({ block: exact ? "center" : "start" });
  }

  // --- 起草需求表 --------------------------------------------------------------------------------------------

  let formsPromise = null;
  let draftReady = false;
  let form = null; // {id, meta, fields, touched:Set, showAll, check}

  const RULE_CODES = new Set([
    "above_cap", "above_ratio", "at_least_one", "below_floor", "below_threshold", "date_not_after_notice",
    "date_order", "exclusive_options", "greater_than", "option_not_in_group", "out_of_range", "percent_mismatch",
    "sum_mismatch", "too_few_items", "total_too_long",
  ]);
  const TEXT_TYPES = {
    mobile: { mode: "tel", ph: "11位手机号，如 13812345678" },
    landline: { mode: "tel", ph: "区号-号码，如 0595-12345678" },
    phone: { mode: "tel", ph: "手机或座机号码" },
    email: { mode: "email", ph: "如 name@example.com" },
    amount_wan: { mode: "decimal", ph: "数字，单位万元" },
    percent: { mode: "decimal", ph: "数字，如 35" },
    integer: { mode: "numeric", ph: "整数" },
    date: { mode: "text", ph: "日期，如 2026年6月30日" },
    credit_code: { mode: "text", ph: "18位统一社会信用代码" },
    person_name: { mode: "text", ph: "姓名" },
    company_name: { mode: "text", ph: "单位全称" },
  };

  function loadForms() {
    if (!formsPromise) {
      formsPromise = api("/api/forms").then((d) => (Array.isArray(d) ? d : (d && d.forms) || [])).catch((e) => {
        formsPromise = null;
        throw e;
      });
    }
    return formsPromise;
  }

  async function initDraft(formId) {
    if (!draftReady) {
      draftReady = true;
      $("form-select").addEventListener("change", () => {
        const id = $("form-select").value;
        window.location.hash = id ? `#draft/${encodeURIComponent(id)}` : "#draft";
      });
    }
    let forms = [];
    try {
      forms = await loadForms();
    } catch (e) {
      clear($("form-area")).append(el("p", { className: "error", text: e.message }));
      return;
    }
    const select = $("form-select");
    if (select.options.length <= 1) {
      for (const f of forms) select.append(el("option", { text: `${f.name || f.id}`, attrs: { value: f.id } }));
    }
    select.value = formId || "";
    const list = clear($("forms-list"));
    if (!formId) {
      form = null;
      clear($("form-area"));
      for (const f of forms) {
        const saved = readStore(f.id);
        const card = el("a", { className: "card form-card", attrs: { href: `#draft/${encodeURIComponent(f.id)}` } });
        card.append(el("h3", { className: "card-title", text: f.name || f.id }));
        if (f.title) card.append(el("div", { text: `《${f.title}》` }));
        const meta = [f.audience ? `填表：${f.audience}` : "", Number.isInteger(f.fields) ? `${f.fields}项` : ""].filter(Boolean).join("　");
        if (meta) card.append(el("div", { className: "muted", text: meta }));
        if (saved) card.append(el("div", { className: "badge st-open", text: "本浏览器中有未完成的草稿" }));
        list.append(card);
      }
      return;
    }
    if (form && form.id === formId) return;
    const meta = forms.find((f) => f.id === formId) || { id: formId };
    clear($("form-area")).append(el("p", { className: "muted", text: "正在载入表格……" }));
    try {
      const spec = await api(`/api/forms/${encodeURIComponent(formId)}`);
      buildForm(meta, spec);
    } catch (e) {
      clear($("form-area")).append(el("p", { className: "error", text: e.message }));
    }
  }

  function specFields(spec) {
    if (Array.isArray(spec)) return spec;
    if (spec && Array.isArray(spec.fields)) return spec.fields;
    return [];
  }

  function readStore(id) {
    try {
      const raw = window.localStorage.getItem(STORE_PREFIX + id);
      if (!raw) return null;
      const d = JSON.parse(raw);
      return d && typeof d.answers === "object" && d.answers ? d : null;
    } catch (e) {
      return null;
    }
  }

  function writeStore(id, answers) {
    try {
      if (!Object.keys(answers).length) window.localStorage.removeItem(STORE_PREFIX + id);
      else window.localStorage.setItem(STORE_PREFIX + id, JSON.stringify({ answers, saved: new Date().toISOString() }));
      return true;
    } catch (e) {
      return false;
    }
  }

  function buildForm(meta, spec) {
    const fields = specFields(spec);
    const info = Array.isArray(spec) ? {} : spec || {};
    form = {
      id: meta.id, meta: Object.assign({}, meta, info), fields, touched: new Set(), showAll: false,
      widgets: new Map(), checkSeq: 0,
    };
    const area = clear($("form-area"));
    const head = el("div", { className: "form-head" });
    head.append(el("h2", { className: "form-title", text: form.meta.title || form.meta.name || form.id }));
    const sub = [form.meta.name, form.meta.audience ? `填表：${form.meta.audience}` : ""].filter(Boolean).join("　");
    if (sub) head.append(el("div", { className: "muted", text: sub }));
    head.append(el("p", { className: "hint", text: "标有“必填”的项目须填写。字数按非空白字符计算：汉字、字母、数字、标点各算 1 字，空格和换行不计。草稿自动保存在本浏览器中，只有您能看到。" }));
    head.append(el("div", { className: "save-state muted", attrs: { id: "save-state", "aria-live": "polite" } }));
    area.append(head);
    area.append(el("div", { className: "form-summary", attrs: { id: "form-summary", "aria-live": "polite" } }));

    const formEl = el("form", { className: "draft-form", attrs: { id: "draft-form", novalidate: true, autocomplete: "off" } });
    formEl.addEventListener("submit", (ev) => ev.preventDefault());
    let section = null;
    let box = formEl;
    for (const f of fields) {
      const sec = f.section || "";
      if (sec !== section) {
        section = sec;
        if (sec) {
          box = el("fieldset", { className: "form-section" }, el("legend", { text: sec }));
          formEl.append(box);
        } else {
          box = formEl;
        }
      }
      box.append(buildField(f));
    }
    area.append(formEl);

    const actions = el("div", { className: "form-actions" });
    actions.append(
      el("button", { className: "btn btn-primary", text: "下载 .docx", attrs: { type: "button", id: "download-docx" }, on: { click: () => download(false) } }),
      el("button", { className: "btn", text: "下载草稿版", attrs: { type: "button", id: "download-draft", title: "未填完也可下载，空项留白" }, on: { click: () => download(true) } }),
      el("button", { className: "btn btn-ghost", text: "检查全表", attrs: { type: "button", id: "check-all" }, on: { click: () => { form.showAll = true; check.now(); } } }),
      el("button", { className: "btn btn-danger", text: "清空", attrs: { type: "button", id: "clear-form" }, on: { click: clearForm } }),
    );
    area.append(actions);

    const saved = readStore(form.id);
    if (saved) {
      setAnswers(saved.answers);
      for (const k of Object.keys(saved.answers)) form.touched.add(k);
      $("save-state").textContent = `已恢复本浏览器中保存的草稿（${savedTime(saved.saved)}）。`;
      check.now();
    } else {
      renderProblems({ errors: [], warnings: [] });
    }
  }

  function savedTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return "此前";
    return `${d.getMonth() + 1}月${d.getDate()}日 ${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  }

  function fieldHints(f) {
    const out = [];
    if (f.condition) out.push(el("div", { className: "f-hint f-condition", text: f.condition }));
    if (f.help) out.push(el("div", { className: "f-hint f-help", text: f.help }));
    if (f.guidance && f.guidance !== f.help) out.push(el("div", { className: "f-hint f-help", text: f.guidance }));
    if (f.tip) out.push(el("div", { className: "f-hint f-tip", text: f.tip }));
    return out;
  }

  function limitText(f) {
    if (!f.max_chars) return "";
    return f.limit === "soft" ? `${f.max_chars}字左右` : `限${f.max_chars}字`;
  }

  function buildField(f) {
    const wrap = el("div", { className: `field type-${f.type}`, attrs: { id: `field-${f.id}`, "data-field": f.id } });
    const inputId = `in-${f.id}`;
    const isGroup = f.type === "single_choice" || f.type === "multi_choice" || f.type === "rows";
    const labelEl = el(isGroup ? "div" : "label", { className: "f-label", attrs: isGroup ? { id: `lbl-${f.id}` } : { for: inputId } });
    labelEl.append(el("span", { className: "f-name", text: f.label || f.key || f.id }));
    if (f.unit && f.type !== "rows") labelEl.append(el("span", { className: "f-unit", text: `（${f.unit}）` }));
    labelEl.append(el("span", { className: `f-req ${f.required ? "req" : "opt"}`, text: f.required ? "必填" : "选填" }));
    const lt = limitText(f);
    if (lt) labelEl.append(el("span", { className: "f-limit", text: lt }));
    wrap.append(labelEl, ...fieldHints(f));

    const onChange = () => fieldChanged(f.id);
    let widget;
    if (f.type === "single_choice" || f.type === "multi_choice") widget = choiceWidget(f, onChange);
    else if (f.type === "rows") widget = rowsWidget(f, onChange);
    else widget = textWidget(f, inputId, onChange);
    wrap.append(widget.node);
    wrap.append(el("div", { className: "f-error", attrs: { id: `err-${f.id}`, role: "alert" } }));
    wrap.append(el("div", { className: "f-warning", attrs: { id: `warn-${f.id}` } }));
    form.widgets.set(f.id, widget);
    return wrap;
  }

  function textWidget(f, inputId, onChange) {
    const long = f.type === "long_text";
    const kind = TEXT_TYPES[f.type] || {};
    const input = long
      ? el("textarea", { attrs: { id: inputId, name: f.id, rows: f.max_chars && f.max_chars > 300 ? 6 : 4 } })
      : el("input", {
        attrs: {
          id: inputId, name: f.id, type: f.type === "email" ? "email" : "text", inputmode: kind.mode && kind.mode !== "text" ? kind.mode : null,
          placeholder: kind.ph || null, autocomplete: "off",
        },
      });
    const node = el("div", { className: "f-control" }, input);
    let counter = null;
    if (long || f.max_chars) {
      counter = el("div", { className: "counter", attrs: { id: `count-${f.id}`, "aria-live": "polite" } });
      node.append(counter);
    }
    const updateCounter = () => {
      if (!counter) return;
      const n = countChars(input.value);
      const max = f.max_chars;
      counter.classList.remove("over", "near");
      if (max) {
        counter.textContent = `${n} / ${max}字${f.limit === "soft" ? "（左右）" : ""}`;
        if (n > max && f.limit !== "soft") counter.classList.add("over");
        else if (n > max * (f.limit === "soft" ? 1.2 : 0.9)) counter.classList.add("near");
      } else {
        counter.textContent = `${n}字`;
      }
    };
    input.addEventListener("input", () => {
      updateCounter();
      onChange();
    });
    input.addEventListener("blur", () => {
      if (input.value.trim()) fieldChanged(f.id);
    });
    updateCounter();
    return {
      node,
      get: () => (input.value.trim() ? input.value : undefined),
      set: (v) => {
        input.value = v === undefined || v === null ? "" : String(v);
        updateCounter();
      },
      focus: () => input.focus(),
    };
  }

  /** One option; a printed blank ("其他：____") or free text follows it when the spec says so. */
  function optionValue(opt, blankInput) {
    const extra = blankInput ? blankInput.value.trim() : "";
    return extra ? `${opt}：${extra}` : opt;
  }

  function splitOption(options, value) {
    const v = String(value);
    if (options.includes(v)) return [v, ""];
    for (const o of options) {
      for (const sep of ["：", ":", "，", ","]) if (v.startsWith(o + sep)) return [o, v.slice(o.length + sep.length).trim()];
    }
    for (const o of options) if (v.startsWith(o)) return [o, v.slice(o.length).replace(/^[：:，,\s]+/, "")];
    const short = options.filter((o) => v && (o.startsWith(v) || o.startsWith(`${v}.`)));
    if (short.length === 1) return [short[0], ""]; // “重大需求” for a longer printed option
    return [null, v];
  }

  function choiceWidget(f, onChange, nameSuffix) {
    const multi = f.type === "multi_choice";
    const name = `in-${f.id}${nameSuffix || ""}`;
    const group = el("div", { className: "choices", attrs: { role: multi ? "group" : "radiogroup", "aria-labelledby": `lbl-${f.id}` } });
    const opts = Array.isArray(f.options) ? f.options : [];
    const blanks = new Map((f.blanks || []).map((b) => [b.option, b]));
    const free = new Set(f.free_text_options || []);
    const items = [];
    opts.forEach((opt, i) => {
      const id = `${name}-${i}`;
      const box = el("input", { attrs: { type: multi ? "checkbox" : "radio", name, id, value: opt } });
      const blank = blanks.get(opt);
      const row = el("div", { className: "choice" });
      const label = el("label", { attrs: { for: id } });
      let blankInput = null;
      if (blank || free.has(opt)) {
        const printed = blank && blank.printed ? String(blank.printed) : `${opt}：____`;
        const before = printed.split(/_{2,}/)[0] || `${opt}：`;
        label.append(box, " ", before);
        blankInput = el("input", {
          className: "blank", attrs: {
            type: "text", id: `${id}-blank`, "aria-label": blank ? `${opt}：${blank.label}` : `${opt}：说明`,
            placeholder: blank ? blank.label : "可填写说明",
          },
        });
        row.append(label, blankInput);
        blankInput.addEventListener("input", () => {
          if (blankInput.value.trim() && !box.checked) {
            if (!multi) for (const it of items) it.box.checked = false;
            box.checked = true;
          }
          onChange();
        });
      } else {
        label.append(box, " ", opt);
        row.append(label);
      }
      box.addEventListener("change", onChange);
      items.push({ opt, box, blankInput });
      group.append(row);
    });
    if (!multi && !f.required) {
      group.append(el("button", {
        className: "btn btn-ghost btn-small", text: "不选", attrs: { type: "button" },
        on: { click: () => { for (const it of items) it.box.checked = false; onChange(); } },
      }));
    }
    const get = () => {
      const chosen = items.filter((it) => it.box.checked).map((it) => optionValue(it.opt, it.blankInput));
      if (multi) return chosen.length ? chosen : undefined;
      return chosen.length ? chosen[0] : undefined;
    };
    const set = (value) => {
      for (const it of items) {
        it.box.checked = false;
        if (it.blankInput) it.blankInput.value = "";
      }
      const vals = value === undefined || value === null ? [] : (Array.isArray(value) ? value : [value]);
      for (const v of vals) {
        const [opt, rest] = splitOption(opts, v);
        const it = items.find((x) => x.opt === opt);
        if (!it) continue;
        it.box.checked = true;
        if (it.blankInput) it.blankInput.value = rest;
      }
    };
    return { node: group, get, set, focus: () => items.length && items[0].box.focus() };
  }

  function splitList(text) {
    return String(text).split(/[、,，;；/\s]+/).map((s) => s.trim()).filter(Boolean);
  }

  function rowsWidget(f, onChange) {
    const cols = Array.isArray(f.columns) && f.columns.length ? f.columns : [{ id: "value", label: f.label, type: "short_text" }];
    const node = el("div", { className: "rows", attrs: { role: "group", "aria-labelledby": `lbl-${f.id}` } });
    const list = el("div", { className: "rows-list" });
    const rows = [];
    const addBtn = el("button", { className: "btn btn-small", text: "添加一行", attrs: { type: "button", id: `add-${f.id}` } });
    node.append(list, addBtn);
    let serial = 0;

    const renumber = () => {
      rows.forEach((r, i) => { r.num.textContent = `第${i + 1}行`; });
      const max = Number.isInteger(f.max_rows) ? f.max_rows : null;
      addBtn.disabled = max !== null && rows.length >= max;
    };

    const addRow = (values) => {
      const k = serial++;
      const row = { cells: new Map() };
      const box = el("div", { className: "row-item" });
      row.num = el("span", { className: "row-num" });
      const del = el("button", {
        className: "btn btn-ghost btn-small row-del", text: "删除", attrs: { type: "button" },
        on: {
          click: () => {
            const i = rows.indexOf(row);
            if (i >= 0) rows.splice(i, 1);
            box.remove();
            renumber();
            onChange();
          },
        },
      });
      box.append(el("div", { className: "row-head" }, row.num, del));
      const grid = el("div", { className: "row-grid" });
      for (const c of cols) {
        const cid = `in-${f.id}-${k}-${c.id}`;
        const cell = el("div", { className: "row-cell", attrs: { "data-col": c.id } });
        const hasOptions = Array.isArray(c.options) && c.options.length;
        if ((c.type === "multi_choice" || c.type === "single_choice") && hasOptions) {
          cell.append(el("div", { className: "f-sublabel", text: c.label, attrs: { id: `lbl-${f.id}-${k}-${c.id}` } }));
          const w = choiceWidget(Object.assign({}, c, { id: `${f.id}-${k}-${c.id}`, required: true }), onChange);
          cell.append(w.node);
          row.cells.set(c.id, w);
        } else {
          const multi = c.type === "multi_choice";
          const kind = TEXT_TYPES[c.type] || {};
          const input = el("input", {
            attrs: {
              id: cid, type: "text", inputmode: kind.mode && kind.mode !== "text" ? kind.mode : null,
              placeholder: multi ? "可填多项，用顿号分隔" : (kind.ph || null), autocomplete: "off",
            },
          });
          input.addEventListener("input", onChange);
          cell.append(el("label", { className: "f-sublabel", text: c.label, attrs: { for: cid } }), input);
          row.cells.set(c.id, {
            get: () => {
              const v = input.value.trim();
              if (!v) return undefined;
              return multi ? splitList(v) : input.value;
            },
            set: (v) => { input.value = v === undefined || v === null ? "" : (Array.isArray(v) ? v.join("、") : String(v)); },
            focus: () => input.focus(),
          });
        }
        grid.append(cell);
      }
      box.append(grid);
      list.append(box);
      rows.push(row);
      if (values) for (const [cid, w] of row.cells) w.set(values[cid]);
      renumber();
      return row;
    };

    addBtn.addEventListener("click", () => {
      const r = addRow(null);
      const first = r.cells.values().next().value;
      if (first) first.focus();
      onChange();
    });
    const initial = Math.max(f.required ? 1 : 0, Number.isInteger(f.min_rows) ? f.min_rows : 0);
    for (let i = 0; i < initial; i++) addRow(null);

    return {
      node,
      get: () => {
        const out = [];
        for (const r of rows) {
          const obj = {};
          for (const [cid, w] of r.cells) {
            const v = w.get();
            if (v !== undefined) obj[cid] = v;
          }
          if (Object.keys(obj).length) out.push(obj);
        }
        return out.length ? out : undefined;
      },
      set: (value) => {
        while (rows.length) {
          rows.pop();
        }
        clear(list);
        const vals = Array.isArray(value) ? value : [];
        for (const v of vals) {
          if (v && typeof v === "object" && !Array.isArray(v)) addRow(v);
          else addRow({ [cols[0].id]: v }); // a one-column list given as plain values
        }
        for (let i = vals.length; i < initial; i++) addRow(null);
        renumber();
      },
      focus: () => {
        const r = rows[0];
        if (r) r.cells.values().next().value.focus();
        else addBtn.focus();
      },
    };
  }

  function getAnswers() {
    const answers = {};
    for (const [id, w] of form.widgets) {
      const v = w.get();
      if (v !== undefined) answers[id] = v;
    }
    return answers;
  }

  function setAnswers(answers) {
    for (const [id, w] of form.widgets) w.set(answers[id]);
  }

  const save = debounce(() => {
    if (!form) return;
    const ok = writeStore(form.id, getAnswers());
    const s = $("save-state");
    if (s) s.textContent = ok ? `草稿已保存在本浏览器（${savedTime(new Date().toISOString())}）。` : "本浏览器不允许保存草稿（可能是隐私模式），请在离开前下载。";
  }, 300);

  const check = debounce(async () => {
    if (!form) return;
    const f = form;
    const seq = ++f.checkSeq;
    try {
      const res = await api(`/api/forms/${encodeURIComponent(f.id)}/check`, { method: "POST", body: { answers: getAnswers() } });
      if (form !== f || seq !== f.checkSeq) return;
      renderProblems(res || {});
    } catch (e) {
      if (form !== f || seq !== f.checkSeq) return;
      if (e.data && (Array.isArray(e.data.errors) || Array.isArray(e.data.warnings))) renderProblems(e.data);
      else renderProblems({ errors: [], warnings: [], failure: e.message });
    }
  }, 400);

  function fieldChanged(id) {
    if (!form) return;
    form.touched.add(id);
    save();
    check();
  }

  function fieldLabel(id) {
    const f = form && form.fields.find((x) => x.id === id);
    return f ? (f.key || f.label || id) : id;
  }

  function isCross(p) {
    return Boolean(p.rule) || RULE_CODES.has(p.code) || !form.widgets.has(p.field);
  }

  function renderProblems(res) {
    if (!form) return;
    const errors = Array.isArray(res.errors) ? res.errors : [];
    const warnings = Array.isArray(res.warnings) ? res.warnings : [];
    const byField = new Map();
    const warnByField = new Map();
    const cross = [];
    let missing = 0;
    for (const p of errors) {
      if (p.code === "required" || p.code === "blank_missing") missing += 1;
      if (isCross(p)) {
        cross.push(Object.assign({ severity: "error" }, p));
        continue;
      }
      if (!byField.has(p.field)) byField.set(p.field, []);
      byField.get(p.field).push(p.message);
    }
    for (const p of warnings) {
      if (isCross(p)) {
        cross.push(Object.assign({ severity: "warning" }, p));
        continue;
      }
      if (!warnByField.has(p.field)) warnByField.set(p.field, []);
      warnByField.get(p.field).push(p.message);
    }
    let shownFieldErrors = 0;
    for (const f of form.fields) {
      const wrap = $(`field-${f.id}`);
      const errBox = $(`err-${f.id}`);
      const warnBox = $(`warn-${f.id}`);
      if (!wrap || !errBox) continue;
      const visible = form.showAll || form.touched.has(f.id);
      const errs = visible ? byField.get(f.id) || [] : [];
      clear(errBox);
      for (const m of errs) errBox.append(el("div", { text: m }));
      wrap.classList.toggle("invalid", errs.length > 0);
      shownFieldErrors += errs.length;
      const warns = visible ? warnByField.get(f.id) || [] : [];
      clear(warnBox);
      for (const m of warns) warnBox.append(el("div", { text: m }));
      const crossHere = cross.some((p) => p.field === f.id);
      wrap.classList.toggle("cross", crossHere);
    }
    const sum = clear($("form-summary"));
    if (res.failure) sum.append(el("div", { className: "sum-line error", text: res.failure }));
    if (cross.length) {
      const ul = el("ul", { className: "cross-list" });
      for (const p of cross) {
        const li = el("li", { className: p.severity === "warning" ? "warning" : "error" });
        li.append(el("span", { text: p.message }));
        if (form.widgets.has(p.field)) {
          li.append(" ", el("button", {
            className: "btn btn-ghost btn-small", text: `转到“${fieldLabel(p.field)}”`, attrs: { type: "button" },
            on: { click: () => focusField(p.field) },
          }));
        }
        ul.append(li);
      }
      sum.append(el("div", { className: "sum-title", text: "表内各项之间的核对" }), ul);
    }
    const total = errors.length;
    let line;
    if (!total && !Object.keys(getAnswers()).length) line = el("div", { className: "sum-line muted", text: "请逐项填写，每项填完会立即检查。" });
    else if (!total) line = el("div", { className: "sum-line ok", text: warnings.length ? "必填项已齐全，可以下载（请留意上面的提示）。" : "已全部通过检查，可以下载 .docx。" });
    else {
      const parts = [];
      if (missing) parts.push(`还有${missing}项必填未填`);
      const other = total - missing;
      if (other) parts.push(`${other}处需要修改`);
      line = el("div", { className: "sum-line pending", text: `${parts.join("，")}。` });
      if (!form.showAll && shownFieldErrors < total - cross.length) {
        line.append(" ", el("button", {
          className: "btn btn-ghost btn-small", text: "全部显示", attrs: { type: "button" },
          on: { click: () => { form.showAll = true; renderProblems(res); } },
        }));
      }
    }
    sum.append(line);
    form.lastCheck = res;
  }

  function focusField(id) {
    const wrap = $(`field-${id}`);
    if (!wrap) return;
    wrap.scrollIntoView({ block: "center" });
    const w = form.widgets.get(id);
    if (w && w.focus) w.focus();
  }

  function clearForm() {
    if (!form) return;
    if (!window.confirm("确定清空本表已填写的全部内容吗？本浏览器中保存的草稿也会删除。")) return;
    try {
      window.localStorage.removeItem(STORE_PREFIX + form.id);
    } catch (e) { /* nothing saved */ }
    setAnswers({});
    form.touched.clear();
    form.showAll = false;
    $("save-state").textContent = "已清空。";
    renderProblems({ errors: [], warnings: [] });
  }

  function filenameFrom(resp, fallback) {
    const cd = resp.headers.get("Content-Disposition") || "";
    const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(cd);
    if (star) {
      try {
        return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ""));
      } catch (e) { /* fall through */ }
    }
    const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(cd);
    return plain ? plain[1].trim() : fallback;
  }

  async function download(isDraft) {
    if (!form) return;
    const f = form;
    const btn = $(isDraft ? "download-draft" : "download-docx");
    const status = $("save-state");
    btn.disabled = true;
    if (!isDraft) f.showAll = true;
    status.textContent = "正在生成 .docx……";
    try {
      const resp = await api(`/api/forms/${encodeURIComponent(f.id)}/docx`, {
        method: "POST", body: { answers: getAnswers(), draft: Boolean(isDraft) }, raw: true,
      });
      if (!resp.ok) {
        let data = null;
        try {
          data = await resp.json();
        } catch (e) { data = null; }
        status.textContent = errorText(resp.status, data);
        if (data && (Array.isArray(data.errors) || Array.isArray(data.warnings))) renderProblems(data);
        else check.now();
        const sum = $("form-summary");
        if (sum) sum.scrollIntoView({ block: "nearest" });
        return;
      }
      const blob = await resp.blob();
      const name = filenameFrom(resp, `${f.id}${isDraft ? "-草稿" : ""}.docx`);
      const url = URL.createObjectURL(blob);
      const a = el("a", { attrs: { href: url, download: name } });
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60000);
      status.textContent = `已下载 ${name}。`;
      if (!isDraft) check.now();
    } catch (e) {
      status.textContent = e.message;
    } finally {
      btn.disabled = false;
    }
  }

  // --- start ----------------------------------------------------------------------------------------------

  function start() {
    window.addEventListener("hashchange", route);
    route();
    const q = params.get("q");
    if (q && !window.location.hash) {
      $("ask-input").value = q;
      ask(q);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
