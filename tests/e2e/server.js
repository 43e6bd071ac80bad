'use strict';

/**
 * Bot API emulator for inspir-bot's end-to-end tests.
 *
 * telegram-test-api (pinned) keeps the store: the users' updates, the bot's
 * messages and their ids.  Its HTTP routes cannot serve python-telegram-bot 22
 * (no is_bot, dates in ms, no chat_instance, getUpdates without offset/limit/
 * timeout, several methods missing, 500 for unknown methods), so this layer
 * serves the HTTP API itself on top of that store:
 *
 *   /bot<token>/<method>  the Bot API, as PTB calls it (query, form, JSON or multipart)
 *   /file/bot<token>/<path>  file downloads (PTB's base_file_url)
 *   /e2e/<action>  the tests' side: users send messages and press buttons,
 *                  tests read what the bot did, inject faults and reset.
 *
 * TelegramServer.start() is never called, so its storeTimeout clean-up daemon
 * never runs: nothing is deleted behind the tests' back.
 *
 * Usage: node server.js [--port N]; prints "listening on <port>" once bound
 * (port 0 picks a free one).  Binds to 127.0.0.1 only.
 */

const http = require('http');
const TelegramServer = require('telegram-test-api');

const core = new TelegramServer();
const JSON_PARAMS = new Set([
  'reply_markup', 'entities', 'caption_entities', 'reply_parameters', 'link_preview_options',
  'commands', 'scope', 'allowed_updates', 'options',
]);
const INT_PARAMS = new Set(['chat_id', 'message_id', 'user_id', 'offset', 'limit', 'timeout']);
const MAX_BODY = 50 * 1024 * 1024;

class ApiError extends Error {
  constructor(code, description, parameters) {
    super(description);
    this.code = code;
    this.parameters = parameters;
  }
}

// ---- state kept by the layer (the messages themselves live in core.storage) ----

let state;
function reset() {
  // Ids (core.updateId, core.messageId) keep growing: a bot still polling with
  // offset N must see the next test's updates.
  core.storage = { userMessages: [], botMessages: [] };
  state = {
    chats: new Map(), users: new Map(), commands: new Map(), files: new Map(),
    members: new Map(), faults: [], calls: [], webhooks: new Map(),
  };
  changed();
}

// Every change bumps the version and re-checks the waiters (long polls).
let version = 0;
const waiters = new Set();
function changed() {
  version += 1;
  waiters.forEach((check) => check());
}
function waitFor(ready, timeoutMs, res) {
  if (ready() || !(timeoutMs > 0)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      waiters.delete(check);
      res.off('close', done);
      resolve();
    };
    const check = () => { if (ready()) done(); };
    const timer = setTimeout(done, timeoutMs);
    waiters.add(check);
    res.on('close', done); // the client gave up
  });
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function botUser(token) {
  const id = Number(String(token).split(':')[0]);
  return {
    id: Number.isSafeInteger(id) && id > 0 ? id : 666,
    is_bot: true,
    first_name: 'Test Bot',
    username: 'inspir_test_bot',
  };
}

function chatFor(chatId) {
  return state.chats.get(chatId) || (chatId > 0
    ? { id: chatId, type: 'private', first_name: 'User' }
    : { id: chatId, type: 'group', title: 'Group' });
}

function fileView(file) {
  const { bytes, ...view } = file;
  return view;
}

/** A bot message as the Bot API returns it (and as callback queries carry it). */
function botMessageView(record) {
  const sent = record.message;
  const view = {
    message_id: record.messageId,
    from: botUser(record.botToken),
    chat: chatFor(sent.chat_id),
    date: Math.floor(record.time / 1000),
  };
  for (const key of ['edit_date', 'text', 'caption', 'entities', 'caption_entities', 'poll']) {
    if (sent[key] !== undefined) view[key] = sent[key];
  }
  if (sent.reply_markup && sent.reply_markup.inline_keyboard) view.reply_markup = sent.reply_markup;
  if (sent.document) view.document = fileView(sent.document);
  if (sent.photo) view.photo = [fileView(sent.photo)];
  return view;
}

/** A bot message as the tests read it: the parameters as sent, edits applied. */
function clientMessageView(record) {
  const { document, photo, ...sent } = record.message;
  const view = {
    ...sent, message_id: record.messageId, date: Math.floor(record.time / 1000), method: record.method,
  };
  if (document) view.document = fileView(document);
  if (photo) view.photo = fileView(photo);
  return view;
}

function updateView(update) {
  if (update.myChatMember) return { update_id: update.updateId, my_chat_member: update.myChatMember };
  if (update.raw) return { ...update.raw, update_id: update.updateId };
  const view = TelegramServer.formatUpdate(update);
  if (view.callback_query) {
    view.callback_query.chat_instance = update.callbackQuery.chat_instance;
  } else {
    delete view.message.botToken;
  }
  return view;
}

// ---- request parsing ----

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new ApiError(413, 'Request Entity Too Large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Query, urlencoded, JSON or multipart parameters; files come back as File objects. */
async function readParams(req, url) {
  const params = Object.fromEntries(url.searchParams);
  const type = req.headers['content-type'] || '';
  const body = await readBody(req);
  if (type.startsWith('application/json') && body.length) {
    Object.assign(params, JSON.parse(body));
  } else if (type.startsWith('application/x-www-form-urlencoded')) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString())));
  } else if (type.startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': type } }).formData();
    for (const [key, value] of form) params[key] = value;
  }
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'string') continue;
    if (JSON_PARAMS.has(key)) params[key] = JSON.parse(value);
    else if (INT_PARAMS.has(key) && /^-?\d+$/.test(value)) params[key] = Number(value);
  }
  return params;
}

// ---- the Bot API ----

function findBotMessage(token, chatId, messageId) {
  const record = core.storage.botMessages.find((r) => r.botToken === token
    && r.messageId === messageId && r.message.chat_id === chatId);
  if (!record) throw new ApiError(400, 'Bad Request: message to edit not found');
  return record;
}

function addBotMessage(token, method, params) {
  if (params.chat_id === undefined) throw new ApiError(400, 'Bad Request: chat_id is empty');
  const message = { ...params };
  // telegram-test-api assumes a sendMessage-like object and hands back a
  // message with a private chat and a date in ms: keep only its record.
  core.addBotMessage(message, token);
  const record = core.storage.botMessages[core.storage.botMessages.length - 1];
  record.method = method;
  changed();
  return botMessageView(record);
}

let fileCount = 0; // never reset: a file id stays unique across tests
async function storeFile(params, field) {
  const input = params[field];
  let file;
  if (input instanceof Blob) {
    fileCount += 1;
    const id = `file-${fileCount}`;
    file = {
      file_id: id,
      file_unique_id: id,
      file_name: input.name,
      mime_type: input.type || 'application/octet-stream',
      file_size: input.size,
      bytes: Buffer.from(await input.arrayBuffer()),
    };
    state.files.set(id, file);
  } else {
    file = state.files.get(input);
    if (!file) throw new ApiError(400, 'Bad Request: wrong file identifier/HTTP URL specified');
  }
  return file;
}

function pngSize(bytes) {
  const isPng = bytes.length >= 24 && bytes.toString('latin1', 1, 4) === 'PNG';
  return isPng ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) } : { width: 0, height: 0 };
}

function commandsKey(params) {
  return JSON.stringify([params.scope || { type: 'default' }, params.language_code || '']);
}
function setDescription(token, field, p, limit) {
  const text = p[field] || '';
  if (text.length > limit) throw new ApiError(400, `Bad Request: ${field.replace('_', ' ')} is too long`);
  if (!state.descriptions) state.descriptions = new Map();
  state.descriptions.set(JSON.stringify([token, field, p.language_code || '']), text);
  return true;
}
function descriptionOf(token, field, p) {
  return (state.descriptions && state.descriptions.get(JSON.stringify([token, field, p.language_code || '']))) || '';
}
function commandsOf(token) {
  if (!state.commands.has(token)) state.commands.set(token, new Map());
  return state.commands.get(token);
}

function pendingUpdates(token) {
  return core.storage.userMessages.filter((u) => u.botToken === token);
}

/** Forgets the updates a getUpdates offset confirms (a negative one keeps the last -offset). */
function confirmUpdates(token, offset) {
  if (!offset) return;
  const pending = pendingUpdates(token);
  const keepFrom = offset > 0 ? offset : (pending[pending.length + offset] || { updateId: 0 }).updateId;
  const confirmed = new Set(pending.filter((u) => u.updateId < keepFrom));
  if (!confirmed.size) return;
  core.storage.userMessages = core.storage.userMessages.filter((u) => !confirmed.has(u));
  changed();
}

const botMethods = {
  getMe: (token) => ({
    ...botUser(token), can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
  }),
  deleteWebhook: (token, p) => {
    if (String(p.drop_pending_updates) === 'true') confirmUpdates(token, Number.MAX_SAFE_INTEGER);
    state.webhooks.delete(token);
    changed();
    return true;
  },
  // Recorded only (tests read it with getWebhookInfo or /e2e/calls): updates are not pushed.
  setWebhook: (token, p) => {
    if (!p.url) throw new ApiError(400, 'Bad Request: bad webhook: URL must not be empty');
    if (String(p.drop_pending_updates) === 'true') confirmUpdates(token, Number.MAX_SAFE_INTEGER);
    state.webhooks.set(token, {
      url: p.url,
      max_connections: p.max_connections === undefined ? 40 : Number(p.max_connections),
      ...(p.allowed_updates && { allowed_updates: p.allowed_updates }),
    });
    changed();
    return true;
  },
  getWebhookInfo: (token) => {
    const info = state.webhooks.get(token) || { url: '' };
    return { has_custom_certificate: false, pending_update_count: pendingUpdates(token).length, ...info };
  },
  getUpdates: async (token, p, res) => {
    confirmUpdates(token, p.offset);
    const limit = Math.min(Math.max(p.limit || 100, 1), 100);
    await waitFor(() => pendingUpdates(token).length > 0, (p.timeout || 0) * 1000, res);
    return pendingUpdates(token).slice(0, limit).map(updateView);
  },
  setMyCommands: (token, p) => {
    commandsOf(token).set(commandsKey(p), p.commands);
    changed();
    return true;
  },
  deleteMyCommands: (token, p) => {
    commandsOf(token).delete(commandsKey(p));
    changed();
    return true;
  },
  getMyCommands: (token, p) => commandsOf(token).get(commandsKey(p)) || [],
  // Descriptions as Telegram keeps them: one per language ('' is the default), at most 512 and
  // 120 characters (longer ones are refused with Telegram's error text).
  setMyDescription: (token, p) => setDescription(token, 'description', p, 512),
  setMyShortDescription: (token, p) => setDescription(token, 'short_description', p, 120),
  getMyDescription: (token, p) => ({ description: descriptionOf(token, 'description', p) }),
  getMyShortDescription: (token, p) => ({ short_description: descriptionOf(token, 'short_description', p) }),
  sendMessage: (token, p) => addBotMessage(token, 'sendMessage', p),
  sendDocument: async (token, p) => addBotMessage(token, 'sendDocument', {
    ...p, document: await storeFile(p, 'document'),
  }),
  sendPhoto: async (token, p) => {
    const photo = await storeFile(p, 'photo');
    return addBotMessage(token, 'sendPhoto', { ...p, photo: { ...photo, ...pngSize(photo.bytes) } });
  },
  sendPoll: (token, p) => addBotMessage(token, 'sendPoll', {
    ...p,
    poll: {
      id: `poll-${core.messageId}`,
      question: p.question,
      options: p.options.map((o, i) => ({
        text: typeof o === 'string' ? o : o.text, voter_count: 0, persistent_id: String(i),
      })),
      total_voter_count: 0,
      is_closed: false,
      is_anonymous: String(p.is_anonymous) !== 'false',
      type: p.type || 'regular',
      allows_multiple_answers: String(p.allows_multiple_answers) === 'true',
      allows_revoting: String(p.allows_revoting) !== 'false',
      members_only: String(p.members_only) === 'true',
    },
  }),
  editMessageText: (token, p) => {
    const record = findBotMessage(token, p.chat_id, p.message_id);
    const { message } = record;
    if (message.text === p.text && JSON.stringify(message.reply_markup) === JSON.stringify(p.reply_markup)) {
      throw new ApiError(400, 'Bad Request: message is not modified: specified new message content'
        + ' and reply markup are exactly the same as a current content and reply markup of the message');
    }
    // Telegram drops what the edit does not repeat (keyboard, parse mode, entities).
    for (const key of ['text', 'parse_mode', 'entities', 'reply_markup', 'link_preview_options']) {
      delete message[key];
    }
    Object.assign(message, p, { edit_date: nowSeconds() });
    changed();
    return botMessageView(record);
  },
  editMessageReplyMarkup: (token, p) => {
    const record = findBotMessage(token, p.chat_id, p.message_id);
    delete record.message.reply_markup;
    if (p.reply_markup) record.message.reply_markup = p.reply_markup;
    record.message.edit_date = nowSeconds();
    changed();
    return botMessageView(record);
  },
  deleteMessage: (token, p) => {
    if (!core.deleteMessage(p.chat_id, p.message_id)) {
      throw new ApiError(400, 'Bad Request: message to delete not found');
    }
    changed();
    return true;
  },
  answerCallbackQuery: () => true,
  sendChatAction: () => true,
  leaveChat: () => true,
  getChatMember: (token, p) => {
    const member = state.members.get(`${p.chat_id}:${p.user_id}`) || { status: 'member' };
    const user = state.users.get(p.user_id) || { id: p.user_id, is_bot: false, first_name: 'User' };
    return { user, ...member };
  },
  getFile: (token, p) => {
    const file = state.files.get(p.file_id);
    if (!file) throw new ApiError(400, 'Bad Request: invalid file_id');
    return { ...fileView(file), file_path: file.file_id };
  },
};

/**
 * Returns the injected fault this call meets, if any (and uses it up): ``{ mode, error,
 * delay, applied }``.  Modes: ``error`` (answer ``error``), ``timeout`` (never answer; the
 * socket is closed after ``delay`` s unless the client gave up first) and ``reset`` (close
 * the socket at once).  ``applied``: the method takes effect before the answer is lost.
 */
function takeFault(method, params) {
  const fault = state.faults.find((f) => (f.method === null || f.method === method)
    && (f.chat_id === null || f.chat_id === params.chat_id));
  if (!fault) return null;
  fault.times -= 1;
  if (fault.times <= 0) state.faults.splice(state.faults.indexOf(fault), 1);
  const parameters = fault.retry_after === null ? (fault.parameters || undefined) : { retry_after: fault.retry_after };
  return {
    mode: fault.mode, delay: fault.delay, applied: fault.applied,
    error: fault.mode === 'error' ? new ApiError(fault.error_code, fault.description, parameters) : null,
  };
}

const NO_ANSWER = Symbol('no answer');

/** The answer to this request is lost: a connection reset now, or a timeout. */
function loseAnswer(fault, req) {
  if (fault.mode === 'reset') {
    req.socket.destroy();
  } else {
    const timer = setTimeout(() => req.socket.destroy(), fault.delay * 1000);
    req.socket.once('close', () => clearTimeout(timer));
  }
  return NO_ANSWER;
}

function logCall(token, method, params, fault) {
  const logged = {};
  for (const [key, value] of Object.entries(params)) {
    logged[key] = value instanceof Blob ? { file_name: value.name, file_size: value.size } : value;
  }
  state.calls.push({
    token, method, params: logged, time: Date.now() / 1000,
    ...(fault && fault.error && { error_code: fault.error.code }),
    ...(fault && !fault.error && { fault: fault.mode, applied: fault.applied }),
  });
  changed(); // tests may wait for a call
}

async function handleBotApi(token, method, req, res, url) {
  const handler = Object.prototype.hasOwnProperty.call(botMethods, method) && botMethods[method];
  if (!handler) throw new ApiError(404, 'Not Found');
  const params = await readParams(req, url);
  const fault = takeFault(method, params);
  logCall(token, method, params, fault);
  if (fault && fault.error) throw fault.error;
  if (fault && !fault.applied) return loseAnswer(fault, req);
  const result = await handler(token, params, res);
  return fault ? loseAnswer(fault, req) : result;
}

// ---- the tests' side ----

function rememberChat(user, chat) {
  state.users.set(user.id, { is_bot: false, ...user });
  state.chats.set(chat.id, chat);
}

/**
 * Queues a user's update for getUpdates.  core.addUserUpdate stores it
 * synchronously; the message id is taken here, not by the package's helpers,
 * which bump it a tick later and could hand it to a concurrent bot message.
 */
async function addUserUpdate(token, fields) {
  if (!token) throw new ApiError(400, 'token is required');
  const stored = core.addUserUpdate({ ...core.getCommonFields(token), ...fields });
  const update = core.storage.userMessages[core.storage.userMessages.length - 1];
  await stored;
  changed();
  return updateView(update);
}

/**
 * As Telegram does when someone adds the bot to a group: besides the "new members" service
 * message, the bot gets a my_chat_member update about its own membership.
 */
async function addBotJoined(token, user, chat) {
  const bot = botUser(token);
  const myChatMember = {
    chat, from: { is_bot: false, ...user }, date: nowSeconds(),
    old_chat_member: { status: 'left', user: bot }, new_chat_member: { status: 'member', user: bot },
  };
  await addUserUpdate(token, { myChatMember });
}

async function addUserMessage(p) {
  const { token, user, text } = p;
  const chat = p.chat || { id: user.id, type: 'private', first_name: user.first_name, username: user.username };
  rememberChat(user, chat);
  const joined = ((p.extra || {}).new_chat_members || []);
  if (joined.some((member) => member.id === botUser(token).id)) await addBotJoined(token, user, chat);
  const message = {
    ...p.extra, botToken: token, from: { is_bot: false, ...user }, chat, date: nowSeconds(), text,
  };
  const command = /^\/\S+/.exec(text);
  if (command) message.entities = [{ type: 'bot_command', offset: 0, length: command[0].length }];
  const update = addUserUpdate(token, { message });
  core.messageId += 1;
  return update;
}

function addUserCallback(p) {
  const { token, user, data } = p;
  const record = core.storage.botMessages.find((r) => r.botToken === token
    && r.messageId === p.message_id && r.message.chat_id === p.chat_id);
  if (!record) throw new ApiError(400, `no bot message ${p.message_id} in chat ${p.chat_id}`);
  const buttons = ((record.message.reply_markup || {}).inline_keyboard || []).flat();
  if (!buttons.some((b) => b.callback_data === data)) {
    throw new ApiError(400, `message ${p.message_id} has no button with callback_data ${JSON.stringify(data)}`);
  }
  state.users.set(user.id, { is_bot: false, ...user });
  const callbackQuery = {
    from: { is_bot: false, ...user },
    message: botMessageView(record),
    data,
    chat_instance: `instance-${p.chat_id}`,
  };
  const update = addUserUpdate(token, { callbackQuery, callbackId: core.callbackId });
  core.callbackId += 1;
  return update;
}

const clientActions = {
  'POST /e2e/message': addUserMessage,
  'POST /e2e/callback': addUserCallback,
  // Any update as Telegram sends it (edited_message, a service message, my_chat_member...), for
  // getUpdates only (a webhook gets the package's formatting, which knows none of these).
  'POST /e2e/update': (p) => addUserUpdate(p.token, { raw: p.update }),
  'GET /e2e/messages': async (p, res) => {
    const sent = () => core.storage.botMessages
      .filter((r) => r.botToken === p.token && (p.chat_id === undefined || r.message.chat_id === p.chat_id));
    await waitFor(() => sent().length >= (p.count || 0), (p.timeout || 0) * 1000, res);
    return sent().map(clientMessageView);
  },
  'GET /e2e/updates': (p) => pendingUpdates(p.token).map(updateView),
  'GET /e2e/commands': (p) => [...commandsOf(p.token)].map(([key, commands]) => {
    const [scope, languageCode] = JSON.parse(key);
    return { scope, language_code: languageCode, commands };
  }),
  'GET /e2e/calls': (p) => state.calls.filter((c) => c.token === p.token
    && (p.method === undefined || c.method === p.method)),
  'POST /e2e/faults': (p) => {
    if (!['error', 'timeout', 'reset', undefined].includes(p.mode)) throw new ApiError(400, `unknown fault mode ${p.mode}`);
    state.faults.push({
      method: p.method ?? null,
      chat_id: p.chat_id ?? null,
      times: p.times ?? 1,
      error_code: p.error_code,
      description: p.description,
      retry_after: p.retry_after ?? null,
      parameters: p.parameters ?? null, // e.g. { migrate_to_chat_id } for "group chat was upgraded"
      mode: p.mode ?? 'error',
      delay: p.delay ?? 30,
      applied: Boolean(p.applied),
    });
    return true;
  },
  'POST /e2e/chat_member': (p) => {
    const { token, chat_id: chatId, user_id: userId, ...member } = p; // token is not a member field
    state.members.set(`${chatId}:${userId}`, member);
    return true;
  },
  'POST /e2e/reset': () => { reset(); return true; },
  'GET /e2e/version': async (p, res) => {
    await waitFor(() => version > (p.since ?? -1), (p.timeout || 0) * 1000, res);
    return version;
  },
};

async function handleClient(req, res, url) {
  const action = clientActions[`${req.method} ${url.pathname}`];
  if (!action) throw new ApiError(404, 'Not Found');
  const params = await readParams(req, url);
  for (const key of ['since', 'timeout', 'count']) if (params[key] !== undefined) params[key] = Number(params[key]);
  return action(params, res);
}

function sendFile(res, url) {
  const fileId = url.pathname.split('/').pop();
  const file = state.files.get(decodeURIComponent(fileId));
  if (!file) throw new ApiError(404, 'Not Found');
  res.writeHead(200, { 'content-type': file.mime_type, 'content-length': file.bytes.length });
  res.end(file.bytes);
}

// ---- HTTP ----

function reply(res, code, body) {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function route(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const botCall = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
  if (botCall) {
    const result = await handleBotApi(decodeURIComponent(botCall[1]), botCall[2], req, res, url);
    if (result !== NO_ANSWER) reply(res, 200, { ok: true, result });
  } else if (url.pathname.startsWith('/file/bot') || url.pathname.startsWith('/e2e/files/')) {
    sendFile(res, url);
  } else if (url.pathname.startsWith('/e2e/')) {
    reply(res, 200, { ok: true, result: await handleClient(req, res, url) });
  } else {
    throw new ApiError(404, 'Not Found');
  }
}

const server = http.createServer((req, res) => {
  route(req, res).catch((error) => {
    const code = error instanceof ApiError ? error.code : 400;
    const description = error instanceof ApiError ? error.message : `Bad Request: ${error.message}`;
    reply(res, code, {
      ok: false, error_code: code, description, ...(error.parameters && { parameters: error.parameters }),
    });
  });
});

reset();
const portArg = process.argv.indexOf('--port');
server.listen(portArg > 0 ? Number(process.argv[portArg + 1]) : 0, '127.0.0.1', () => {
  process.stdout.write(`listening on ${server.address().port}\n`);
});
