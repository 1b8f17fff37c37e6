/* global document, setTimeout, clearTimeout */
// Builds chat bubbles from Bot API Message objects. server.ts inlines this file
// and web-chat.js into one classic script, dropping their import/export words.

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function safeUrl(u) {
  return /^(https?|tg):/i.test(u || "") ? u : "#";
}
function fileUrl(id) {
  return "/control/files/" + encodeURIComponent(id);
}
function sizeText(n) {
  return n >= 1048576 ? (n / 1048576).toFixed(1) + " МБ" : Math.max(1, Math.round(n / 1024)) + " КБ";
}
function hhmm(unix) {
  return new Date(unix * 1000).toLocaleTimeString("ru-RU", {
    hour: "2-digit",
    minute: "2-digit",
  });
}

const DOC_ICON =
  '<svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"><path d="M14 3H7a2 2 0 00-2 2v14a2 2 0 002 2h10a2 2 0 002-2V8z"/><path d="M14 3v5h5M9 13h6M9 17h6"/></svg>';

/**
 * view: { uid, list, typingEl, statusEl, idleStatus, empty, onPress(button, data, messageId), onCommand(text) }.
 * Returns the operations the event stream drives.
 */
export function createRenderer(view) {
  const nodes = new Map(); // message_id -> row element
  let typingTimer = 0;

  // Entities may overlap, so the text is cut at every boundary and each piece wrapped in all entities covering it.
  function entityNode(e, text) {
    switch (e.type) {
      case "bold":
        return el("b");
      case "italic":
        return el("i");
      case "underline":
        return el("u");
      case "strikethrough":
        return el("s");
      case "code":
        return el("code");
      case "pre":
        return el("code", "pre");
      case "blockquote":
      case "expandable_blockquote":
        return el("span", "quote");
      case "spoiler": {
        const s = el("span", "spoiler");
        s.onclick = () => s.classList.add("shown");
        return s;
      }
      case "text_link":
      case "url": {
        const a = el("a");
        a.target = "_blank";
        a.rel = "noopener";
        a.href = safeUrl(e.type === "url" ? text.slice(e.offset, e.offset + e.length) : e.url);
        return a;
      }
      case "bot_command": {
        const c = el("span", "cmd");
        const cmd = text.slice(e.offset, e.offset + e.length);
        c.onclick = () => view.onCommand(cmd);
        return c;
      }
      default:
        return null;
    }
  }
  function renderText(text, entities) {
    const frag = document.createDocumentFragment();
    const cuts = new Set([0, text.length]);
    for (const e of entities || []) {
      cuts.add(e.offset);
      cuts.add(e.offset + e.length);
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const start = points[i],
        end = points[i + 1];
      if (start >= end || start >= text.length) continue;
      let node = document.createTextNode(text.slice(start, end));
      for (const e of entities || []) {
        if (e.offset <= start && e.offset + e.length >= end) {
          const wrap = entityNode(e, text);
          if (wrap) {
            wrap.append(node);
            node = wrap;
          }
        }
      }
      frag.append(node);
    }
    return frag;
  }

  function keyboard(m) {
    const kb = el("div", "kb");
    for (const row of m.reply_markup.inline_keyboard) {
      const r = el("div", "kb-row");
      for (const b of row) {
        if (b.url) {
          const a = el("a", "", b.text);
          a.href = safeUrl(b.url);
          a.target = "_blank";
          a.rel = "noopener";
          r.append(a);
        } else {
          const btn = el("button", "", b.text);
          if (b.callback_data === undefined) btn.disabled = true;
          else btn.onclick = () => view.onPress(btn, b.callback_data, m.message_id);
          r.append(btn);
        }
      }
      kb.append(r);
    }
    return kb;
  }

  function renderMessage(m) {
    if (!m || !m.chat || m.chat.id !== view.uid) return;
    const incoming = !m.from || m.from.id !== view.uid;
    const row = el("div", "row " + (incoming ? "in" : "out"));
    row.dataset.id = m.message_id;
    const bubble = el("div", "bubble");
    if (m.photo && m.photo.length) {
      const p = m.photo[m.photo.length - 1],
        img = el("img", "media");
      img.alt = "фото";
      img.src = fileUrl(p.file_id);
      if (p.width && p.height) img.style.aspectRatio = p.width + " / " + p.height; // no jump when it loads
      bubble.append(img);
    }
    if (m.voice) {
      const a = el("audio");
      a.controls = true;
      a.preload = "none";
      a.src = fileUrl(m.voice.file_id);
      bubble.append(el("div", "voice-title", "Голосовое сообщение · " + m.voice.duration + " с"), a);
    }
    if (m.document) {
      const d = el("a", "doc");
      d.href = fileUrl(m.document.file_id);
      d.download = m.document.file_name || "file";
      const info = el("span");
      info.append(el("b", "", m.document.file_name || "файл"), el("small", "", sizeText(m.document.file_size || 0)));
      const icon = el("i");
      icon.innerHTML = DOC_ICON;
      d.append(icon, info);
      bubble.append(d);
    }
    const text = m.text !== undefined ? m.text : m.caption;
    if (text) bubble.append(renderText(text, m.text !== undefined ? m.entities : m.caption_entities));
    else if (!bubble.childNodes.length) bubble.append(el("i", "", "(сообщение без текста)"));
    bubble.append(el("span", "meta", (m.edit_date ? "изм. " : "") + hhmm(m.edit_date || m.date)));
    row.append(bubble);
    if (m.reply_markup && m.reply_markup.inline_keyboard) row.append(keyboard(m));

    const stick = view.list.scrollHeight - view.list.scrollTop - view.list.clientHeight < 80;
    const old = nodes.get(m.message_id);
    if (old) old.replaceWith(row);
    else {
      let before = view.typingEl;
      for (const [id, n] of nodes) if (id > m.message_id && (before === view.typingEl || +before.dataset.id > id)) before = n;
      view.list.insertBefore(row, before);
    }
    nodes.set(m.message_id, row);
    view.empty.style.display = "none";
    if (incoming) setTyping(false);
    if (stick || !old) view.list.scrollTop = view.list.scrollHeight;
  }
  function removeMessage(id) {
    const n = nodes.get(id);
    if (n) {
      n.remove();
      nodes.delete(id);
    }
    if (!nodes.size) view.empty.style.display = "";
  }
  function setTyping(on, action) {
    clearTimeout(typingTimer);
    const label =
      action && action.startsWith("upload") ? "отправляет файл…" : action === "record_voice" ? "записывает голосовое…" : "печатает…";
    view.statusEl.textContent = on ? label : view.idleStatus;
    view.statusEl.classList.toggle("typing", on);
    view.typingEl.textContent = label;
    view.typingEl.classList.toggle("show", on);
    if (on) {
      view.list.scrollTop = view.list.scrollHeight;
      typingTimer = setTimeout(() => setTyping(false), 5000);
    }
  }

  function clear() {
    for (const n of nodes.values()) n.remove();
    nodes.clear();
    view.empty.style.display = "";
  }

  return { renderMessage, removeMessage, setTyping, clear };
}
