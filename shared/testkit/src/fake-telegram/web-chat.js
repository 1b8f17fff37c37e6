/* global document, fetch, EventSource, setTimeout, clearTimeout, navigator, MediaRecorder, Blob */
// Page state, the event stream and the composer. See web-chat-render.js for how the two are inlined.
import { createRenderer } from "./web-chat-render.js";

const CFG = /*CONFIG*/ {};
const UID = CFG.userId;
const $ = (id) => document.getElementById(id);
const list = $("messages");
const statusEl = $("status");
const pendingButtons = new Map(); // callback_query_id -> button
let snapshotId = null;
const buffered = [];

$("title").textContent = CFG.botName || "OwnerBot";
$("avatar").textContent = (CFG.botName || "O").slice(0, 1);
statusEl.textContent = CFG.botUsername ? "бот · @" + CFG.botUsername : "бот";

const view = createRenderer({
  uid: UID,
  list,
  typingEl: $("typing"),
  statusEl,
  idleStatus: statusEl.textContent,
  empty: $("empty"),
  onPress: (btn, data, messageId) => void press(btn, data, messageId),
  onCommand: (text) => void sendText(text),
});
const { renderMessage, removeMessage, setTyping } = view;

let toastTimer = 0;
function toast(text, ms) {
  const t = $("toast");
  t.textContent = text;
  t.classList.add("show");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.classList.remove("show"), ms || 2500);
}

const SHOWN = new Set(["sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageCaption", "editMessageReplyMarkup"]);
function apply(kind, data) {
  if (kind === "update") {
    renderMessage(data.message || data.edited_message);
    return;
  }
  if (!data.ok) return;
  const p = data.params || {};
  if (SHOWN.has(data.method)) renderMessage(data.result);
  else if (data.method === "deleteMessage" && Number(p.chat_id) === UID) removeMessage(Number(p.message_id));
  else if (data.method === "sendChatAction" && Number(p.chat_id) === UID) setTyping(true, p.action);
  else if (data.method === "answerCallbackQuery") answered(p);
}
function answered(p) {
  const btn = pendingButtons.get(String(p.callback_query_id));
  pendingButtons.delete(String(p.callback_query_id));
  if (btn) {
    btn.classList.remove("busy");
    btn.classList.add("done");
  }
  if (!p.text) return;
  if (p.show_alert === true || p.show_alert === "true") {
    $("modal-text").textContent = p.text;
    $("modal").classList.add("show");
  } else toast(p.text);
}
function onEvent(e, kind) {
  const id = Number(e.lastEventId),
    data = JSON.parse(e.data);
  if (snapshotId === null) buffered.push([id, kind, data]);
  else if (id > snapshotId) apply(kind, data);
}

// History is a snapshot tagged with an event id; events already in it are skipped.
// The page embeds one, and it is fetched again whenever the stream (re)connects,
// so nothing falls between the snapshot and the subscription; the newest load wins.
let historyGen = 0;
async function loadHistory() {
  const gen = ++historyGen;
  snapshotId = null;
  try {
    const r = await (await fetch("/control/history?chat_id=" + UID)).json();
    if (gen !== historyGen) return;
    view.clear();
    for (const m of r.result) renderMessage(m);
    snapshotId = r.event_id;
    for (const [id, kind, data] of buffered.splice(0)) if (id > snapshotId) apply(kind, data);
    list.scrollTop = list.scrollHeight;
  } catch (err) {
    toast("Не удалось загрузить историю: " + err.message, 4000);
  }
}
const es = new EventSource("/control/events");
es.addEventListener("update", (e) => onEvent(e, "update"));
es.addEventListener("call", (e) => onEvent(e, "call"));
es.onopen = () => {
  $("banner").classList.remove("show");
  void loadHistory();
};
es.onerror = () => $("banner").classList.add("show");
for (const m of CFG.history || []) renderMessage(m);
snapshotId = CFG.eventId || 0;
list.scrollTop = list.scrollHeight;

async function post(path, body, headers) {
  const r = await fetch(path, {
    method: "POST",
    body,
    headers: headers || { "content-type": "application/json" },
  });
  const j = await r.json();
  if (!j.ok) throw new Error(j.description || "ошибка " + r.status);
  return j.result;
}
async function sendText(text) {
  if (!text.trim()) return;
  try {
    await post("/control/updates", JSON.stringify({ user_id: UID, text }));
  } catch (err) {
    toast("Не отправлено: " + err.message, 4000);
  }
}
async function press(btn, data, messageId) {
  if (btn.classList.contains("busy")) return;
  btn.classList.add("busy");
  try {
    const u = await post(
      "/control/updates",
      JSON.stringify({
        user_id: UID,
        callback_data: data,
        message_id: messageId,
      }),
    );
    pendingButtons.set(u.callback_query.id, btn);
    // Telegram clients stop the spinner on their own if the bot never answers.
    setTimeout(() => {
      if (pendingButtons.get(u.callback_query.id) === btn) {
        pendingButtons.delete(u.callback_query.id);
        btn.classList.remove("busy");
        toast("Бот не ответил на нажатие");
      }
    }, 15000);
  } catch (err) {
    btn.classList.remove("busy");
    toast("Не отправлено: " + err.message, 4000);
  }
}

const input = $("input");
function grow() {
  input.style.height = "auto";
  input.style.height = Math.min(input.scrollHeight, 140) + "px";
}
function submit() {
  const t = input.value;
  input.value = "";
  grow();
  void sendText(t);
  input.focus();
}
input.addEventListener("input", grow);
input.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    submit();
  }
});
$("send").onclick = submit;
$("attach").onclick = () => $("file").click();
$("file").onchange = async () => {
  const f = $("file").files[0];
  $("file").value = "";
  if (!f) return;
  const voice = /\.(ogg|oga|opus)$/i.test(f.name);
  const mime = f.type ? "&mime_type=" + encodeURIComponent(f.type) : "";
  const q = "?user_id=" + UID + (voice ? "" : "&as_document=1&file_name=" + encodeURIComponent(f.name) + mime);
  try {
    await post("/control/voice" + q, f, {
      "content-type": "application/octet-stream",
    });
  } catch (err) {
    toast("Файл не отправлен: " + err.message, 4000);
  }
};
$("modal-ok").onclick = () => $("modal").classList.remove("show");

// The microphone, where the browser allows it (a secure origin such as localhost, and a user's yes).
// Telegram voice notes are OGG/Opus: Firefox records that and it goes as a voice note; Chrome and
// Safari record WebM or MP4, which go as an audio file, as a Telegram client would send them.
const mic = $("mic");
const RECORDABLE = ["audio/ogg;codecs=opus", "audio/webm;codecs=opus", "audio/webm", "audio/mp4"];
const recType = typeof MediaRecorder === "undefined" ? undefined : RECORDABLE.find((t) => MediaRecorder.isTypeSupported(t));
let recorder = null;
if (recType && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) mic.hidden = false;
async function sendRecording(blob, seconds) {
  const ogg = recType.startsWith("audio/ogg");
  const ext = ogg ? "ogg" : recType.startsWith("audio/webm") ? "webm" : "m4a";
  const mime = recType.split(";")[0];
  const q =
    "?user_id=" +
    UID +
    "&duration=" +
    seconds +
    (ogg ? "" : "&as_document=1&file_name=voice." + ext + "&mime_type=" + encodeURIComponent(mime));
  try {
    await post("/control/voice" + q, blob, { "content-type": "application/octet-stream" });
  } catch (err) {
    toast("Голосовое не отправлено: " + err.message, 4000);
  }
}
mic.onclick = async () => {
  if (recorder) {
    recorder.stop();
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (err) {
    toast("Микрофон недоступен: " + err.message, 4000);
    return;
  }
  const chunks = [];
  const started = Date.now();
  const idle = statusEl.textContent;
  recorder = new MediaRecorder(stream, { mimeType: recType });
  recorder.ondataavailable = (e) => chunks.push(e.data);
  recorder.onstop = () => {
    for (const t of stream.getTracks()) t.stop();
    recorder = null;
    mic.classList.remove("recording");
    statusEl.textContent = idle;
    const seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
    void sendRecording(new Blob(chunks, { type: recType }), seconds);
  };
  recorder.start();
  mic.classList.add("recording");
  statusEl.textContent = "запись… нажмите ещё раз, чтобы отправить";
};
