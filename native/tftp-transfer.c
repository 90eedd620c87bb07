/*
 * patchkast's TFTP transfer engine: one OS thread per read transfer, blocked in recv() on a socket
 * connected to the client, answering each ACK with the next DATA at once.
 *
 * Why it exists: a lock-step download is one DATA/ACK exchange per block (13,600 for a 20 MB image at
 * blksize 1468), and node:dgram spends more per datagram than the kernel does (a 64 KiB receive
 * buffer, an rinfo object, a JS callback; bench/README.md "tftp"). tftpd-hpa forks a process per
 * transfer that sleeps in recv and answers at once; this does the same with a thread, so 50 phones
 * cost 50 sleeping threads, not a busy event loop.
 *
 * What stays in TypeScript (agent/serve/tftp/native-session.ts): requests, policy, options, the OACK's
 * and ERRORs' bytes, decoding of anything that is not an ACK, events. The C side only knows ACKs and
 * the window rules of agent/serve/tftp/transfer.ts (tftp-transfer-thread.c); this file is its
 * Node-API face: init, open, start, end, and the messages back.
 *
 * Threads talk to JS through one thread-safe function per environment: "packet" (a datagram that is
 * not an ACK, for JS to decode) and "ended" (the outcome and counters). JS talks to a thread through
 * end(): a flag plus shutdown(SHUT_RD), which wakes a thread blocked in recv (it returns 0).
 */
#define _GNU_SOURCE
#include "tftp-transfer.h"

#define CHECK(call)                                                                                    \
  do {                                                                                                 \
    if ((call) != napi_ok) {                                                                           \
      const napi_extended_error_info *info = NULL;                                                     \
      napi_get_last_error_info(env, &info);                                                            \
      bool pending = false;                                                                            \
      napi_is_exception_pending(env, &pending);                                                        \
      if (!pending) napi_throw_error(env, "PK_ERR_TFTP_NATIVE", info && info->error_message ? info->error_message : #call); \
      return NULL;                                                                                     \
    }                                                                                                  \
  } while (0)

/* A JS caller that passes too few arguments gets an error, not reads of unset napi_values. */
#define REQUIRE_ARGUMENTS(n, message)                                                                  \
  do {                                                                                                 \
    if (argc < (n)) {                                                                                  \
      napi_throw_error(env, "PK_ERR_TFTP_NATIVE", message);                                            \
      return NULL;                                                                                     \
    }                                                                                                  \
  } while (0)

static napi_value throw_errno(napi_env env, const char *what, int err) {
  char text[256];
  const char *name = strerrorname_np(err);
  snprintf(text, sizeof text, "%s: %s", what, strerror(err));
  napi_throw_error(env, name ? name : "PK_ERR_TFTP_NATIVE", text);
  return NULL;
}

/* Runs on the JS thread for every message a transfer thread posted. */
static void call_js(napi_env env, napi_value callback, void *context, void *data) {
  engine *e = context;
  message *m = data;
  if (env != NULL && callback != NULL) {
    napi_value argv[3], undefined;
    napi_get_undefined(env, &undefined);
    napi_create_uint32(env, m->id, &argv[0]);
    napi_create_int32(env, m->kind, &argv[1]);
    if (m->kind == MESSAGE_PACKET) {
      void *copy = NULL;
      napi_create_buffer_copy(env, m->packet_len, m->packet, &copy, &argv[2]);
    } else {
      napi_create_array_with_length(env, 6, &argv[2]);
      for (uint32_t i = 0; i < 6; i++) {
        napi_value v;
        napi_create_double(env, m->ended[i], &v);
        napi_set_element(env, argv[2], i, v);
      }
    }
    if (m->kind == MESSAGE_ENDED) {
      napi_delete_reference(env, m->data_ref);
      if (e->running > 0 && --e->running == 0) napi_unref_threadsafe_function(env, e->tsfn);
    }
    napi_call_function(env, undefined, callback, 3, argv, NULL);
  }
  if (m->from) {
    atomic_fetch_sub(&m->from->pending_packets, 1);
    transfer_release(m->from);
  }
  free(m->packet);
  free(m);
}

/* The thread-safe function is being deleted (environment teardown): from now on threads post nothing. */
static void tsfn_finalized(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  engine *e = data;
  pthread_mutex_lock(&e->lock);
  e->closed = 1;
  pthread_mutex_unlock(&e->lock);
}

/*
 * Environment teardown (process exit, a worker stopping) with transfers still running: their
 * threads read file bytes the environment is about to free, so they are ended and waited for.
 * shutdown() wakes each one at once; none sends anything more.
 */
static void teardown(void *arg) {
  engine *e = arg;
  pthread_mutex_lock(&e->lock);
  for (transfer *t = e->threads; t; t = t->next) {
    pthread_mutex_lock(&t->lock);
    if (!t->finished && !atomic_load(&t->end_requested)) {
      atomic_store(&t->end_requested, 1);
      shutdown(t->fd, SHUT_RD);
    }
    pthread_mutex_unlock(&t->lock);
  }
  while (e->thread_count > 0) pthread_cond_wait(&e->thread_left, &e->lock);
  pthread_mutex_unlock(&e->lock);
}

/* init(onMessage): onMessage(id, kind, packet | [outcome, acked, highestSent, dataPackets, timeouts, durationMs]). */
static napi_value init_engine(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], name;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  REQUIRE_ARGUMENTS(1, "init() takes the message callback");
  engine *e = NULL;
  CHECK(napi_get_instance_data(env, (void **)&e));
  if (e != NULL) {
    napi_throw_error(env, "PK_ERR_TFTP_NATIVE", "the TFTP transfer engine is already initialised");
    return NULL;
  }
  e = calloc(1, sizeof *e);
  if (!e) return throw_errno(env, "starting the TFTP transfer engine", ENOMEM);
  pthread_mutex_init(&e->lock, NULL);
  pthread_cond_init(&e->thread_left, NULL);
  CHECK(napi_create_string_utf8(env, "patchkast tftp transfers", NAPI_AUTO_LENGTH, &name));
  if (napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, e, tsfn_finalized, e, call_js, &e->tsfn) !=
      napi_ok) {
    napi_throw_error(env, "PK_ERR_TFTP_NATIVE", "cannot create the thread-safe callback");
    return NULL;
  }
  /* Only running transfers keep the process alive, as their sockets would. */
  napi_unref_threadsafe_function(env, e->tsfn);
  CHECK(napi_set_instance_data(env, e, NULL, NULL));
  CHECK(napi_add_env_cleanup_hook(env, teardown, e));
  return NULL;
}

static void finalize_handle(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  transfer *t = data;
  /* A handle dropped before start() still owns its socket. */
  pthread_mutex_lock(&t->lock);
  int close_now = !t->started && !t->finished;
  pthread_mutex_unlock(&t->lock);
  if (close_now) transfer_close_socket(t);
  transfer_release(t);
}

/*
 * A numeric IPv4 or IPv6 address, with a zone for link-local IPv6 ("fe80::1%eth0", as node reports a
 * link-local client); getaddrinfo with AI_NUMERICHOST never asks a resolver.
 */
static int parse_address(const char *text, uint16_t port, struct sockaddr_storage *out, socklen_t *len) {
  struct addrinfo hints, *found = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICHOST;
  if (getaddrinfo(text, NULL, &hints, &found) != 0 || !found) return -1;
  int family = found->ai_family;
  int ok = (family == AF_INET || family == AF_INET6) && found->ai_addrlen <= sizeof *out;
  if (ok) {
    memset(out, 0, sizeof *out);
    memcpy(out, found->ai_addr, found->ai_addrlen);
    *len = (socklen_t)found->ai_addrlen;
    if (family == AF_INET) ((struct sockaddr_in *)out)->sin_port = htons(port);
    else ((struct sockaddr_in6 *)out)->sin6_port = htons(port);
  }
  freeaddrinfo(found);
  return ok ? family : -1;
}

/*
 * open(host, clientAddress, clientPort) -> [handle, port]: a socket on a fresh ephemeral port of
 * host, connected to the client (the kernel then hands it only the client's datagrams). SO_REUSEADDR
 * lets JS bind a second, unconnected socket to the same port for other TIDs (transfer-socket.ts).
 */
static napi_value open_transfer(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  char host[128], client[128];
  uint32_t client_port;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  REQUIRE_ARGUMENTS(3, "open() takes 3 arguments");
  CHECK(napi_get_value_string_utf8(env, argv[0], host, sizeof host, NULL));
  CHECK(napi_get_value_string_utf8(env, argv[1], client, sizeof client, NULL));
  CHECK(napi_get_value_uint32(env, argv[2], &client_port));
  engine *e = NULL;
  CHECK(napi_get_instance_data(env, (void **)&e));
  if (!e) {
    napi_throw_error(env, "PK_ERR_TFTP_NATIVE", "init() first");
    return NULL;
  }
  struct sockaddr_storage local, peer;
  socklen_t local_len, peer_len;
  int family = parse_address(host, 0, &local, &local_len);
  if (family < 0 || client_port == 0 || client_port > 65535 ||
      parse_address(client, (uint16_t)client_port, &peer, &peer_len) < 0) {
    napi_throw_error(env, "PK_ERR_TFTP_NATIVE", "open(host, clientAddress, clientPort): not an IP address and port");
    return NULL;
  }
  int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket", errno);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, (struct sockaddr *)&local, local_len) != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "bind", err);
  }
  if (connect(fd, (struct sockaddr *)&peer, peer_len) != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "connect", err);
  }
  struct sockaddr_storage bound;
  socklen_t bound_len = sizeof bound;
  getsockname(fd, (struct sockaddr *)&bound, &bound_len);
  uint16_t port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&bound)->sin_port
                                          : ((struct sockaddr_in6 *)&bound)->sin6_port);
  transfer *t = calloc(1, sizeof *t);
  if (!t) {
    close(fd);
    return throw_errno(env, "open", ENOMEM);
  }
  t->owner = e;
  t->fd = fd;
  atomic_init(&t->refs, 1);
  atomic_init(&t->end_requested, 0);
  atomic_init(&t->pending_packets, 0);
  pthread_mutex_init(&t->lock, NULL);
  napi_value handle, port_value, result;
  if (napi_create_external(env, t, finalize_handle, NULL, &handle) != napi_ok) {
    transfer_close_socket(t);
    transfer_release(t);
    napi_throw_error(env, "PK_ERR_TFTP_NATIVE", "cannot create the transfer handle");
    return NULL;
  }
  CHECK(napi_create_uint32(env, port, &port_value));
  CHECK(napi_create_array_with_length(env, 2, &result));
  CHECK(napi_set_element(env, result, 0, handle));
  CHECK(napi_set_element(env, result, 1, port_value));
  return result;
}

static uint8_t *copy_bytes(napi_env env, napi_value value, size_t *len) {
  bool is_buffer = false;
  *len = 0;
  if (napi_is_buffer(env, value, &is_buffer) != napi_ok || !is_buffer) return NULL;
  void *bytes;
  size_t n;
  if (napi_get_buffer_info(env, value, &bytes, &n) != napi_ok || n == 0) return NULL;
  uint8_t *copy = malloc(n);
  if (!copy) return NULL;
  memcpy(copy, bytes, n);
  *len = n;
  return copy;
}

/*
 * start(handle, id, data, blksize, windowsize, oack | null, timeoutError, initialTimeoutMs,
 * maxTimeoutMs, retries): starts the thread. data is a Uint8Array kept alive until "ended".
 */
static napi_value start_transfer(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  REQUIRE_ARGUMENTS(10, "start() takes 10 arguments");
  transfer *t;
  CHECK(napi_get_value_external(env, argv[0], (void **)&t));
  napi_typedarray_type type;
  size_t length, offset;
  void *bytes;
  napi_value arraybuffer;
  uint32_t id, blksize, windowsize, retries;
  double initial_ms, max_ms;
  CHECK(napi_get_value_uint32(env, argv[1], &id));
  CHECK(napi_get_typedarray_info(env, argv[2], &type, &length, &bytes, &arraybuffer, &offset));
  CHECK(napi_get_value_uint32(env, argv[3], &blksize));
  CHECK(napi_get_value_uint32(env, argv[4], &windowsize));
  CHECK(napi_get_value_double(env, argv[7], &initial_ms));
  CHECK(napi_get_value_double(env, argv[8], &max_ms));
  CHECK(napi_get_value_uint32(env, argv[9], &retries));
  if (type != napi_uint8_array || blksize < 8 || windowsize < 1 || initial_ms < 1 || max_ms < initial_ms) {
    napi_throw_error(env, "PK_ERR_TFTP_NATIVE", "start(): bad plan");
    return NULL;
  }
  pthread_mutex_lock(&t->lock);
  int usable = !t->started && !t->finished;
  t->started = 1;
  pthread_mutex_unlock(&t->lock);
  if (!usable) {
    napi_throw_error(env, "PK_ERR_TFTP_NATIVE", "start(): the transfer was already started or ended");
    return NULL;
  }
  t->id = id;
  t->data = bytes;
  t->size = length;
  t->blksize = blksize;
  t->windowsize = windowsize;
  t->initial_timeout_ms = initial_ms;
  t->max_timeout_ms = max_ms;
  t->retries = retries;
  t->oack = copy_bytes(env, argv[5], &t->oack_len);
  t->timeout_error = copy_bytes(env, argv[6], &t->timeout_error_len);
  t->ended_message = calloc(1, sizeof *t->ended_message);
  if (!t->ended_message) {
    transfer_close_socket(t);
    return throw_errno(env, "start()", ENOMEM);
  }
  if (napi_create_reference(env, argv[2], 1, &t->data_ref) != napi_ok) {
    transfer_close_socket(t);
    napi_throw_error(env, "PK_ERR_TFTP_NATIVE", "start(): cannot keep the file's bytes");
    return NULL;
  }
  engine *e = t->owner;
  atomic_fetch_add(&t->refs, 1); /* the thread's */
  pthread_mutex_lock(&e->lock);
  t->prev = NULL;
  t->next = e->threads;
  if (e->threads) e->threads->prev = t;
  e->threads = t;
  e->thread_count++;
  pthread_mutex_unlock(&e->lock);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, THREAD_STACK);
  pthread_t thread;
  int err = pthread_create(&thread, &attr, transfer_run, t);
  pthread_attr_destroy(&attr);
  if (err != 0) {
    transfer_leave(t);
    atomic_fetch_sub(&t->refs, 1);
    napi_delete_reference(env, t->data_ref);
    transfer_close_socket(t);
    return throw_errno(env, "starting a transfer thread", err);
  }
  if (e->running++ == 0) napi_ref_threadsafe_function(env, e->tsfn);
  return NULL;
}

/*
 * end(handle, packet | null) -> true when a running transfer will end (its "ended" message follows,
 * after packet went out), false when it had already ended or never started (then its socket is closed
 * here and no message follows).
 */
static napi_value end_transfer(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  REQUIRE_ARGUMENTS(1, "end() takes the transfer handle");
  transfer *t;
  CHECK(napi_get_value_external(env, argv[0], (void **)&t));
  size_t len = 0;
  uint8_t *packet = argc > 1 ? copy_bytes(env, argv[1], &len) : NULL;
  int will_end = 0;
  pthread_mutex_lock(&t->lock);
  if (!t->started) {
    t->started = 1; /* never again */
    if (!t->finished) {
      t->finished = 1;
      close(t->fd);
      t->fd = -1;
    }
  } else if (!t->finished && !atomic_load(&t->end_requested)) {
    t->end_packet = packet;
    t->end_packet_len = len;
    packet = NULL;
    atomic_store(&t->end_requested, 1);
    shutdown(t->fd, SHUT_RD);
    will_end = 1;
  }
  pthread_mutex_unlock(&t->lock);
  free(packet);
  CHECK(napi_get_boolean(env, will_end, &result));
  return result;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"init", NULL, init_engine, NULL, NULL, NULL, napi_default, NULL},
      {"open", NULL, open_transfer, NULL, NULL, NULL, napi_default, NULL},
      {"start", NULL, start_transfer, NULL, NULL, NULL, napi_default, NULL},
      {"end", NULL, end_transfer, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
