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
 * and ERRORs' bytes, decoding of anything that is not an ACK, events. This file only knows ACKs and
 * the window rules of agent/serve/tftp/transfer.ts, which it follows rule for rule (that file says
 * why each rule is there): progress only on an ACK inside the window sent, duplicates never answered
 * (Sorcerer's Apprentice, RFC 1123 §4.2.3.1), retransmission on timeout only, with back-off and a
 * retry budget, the OACK as "block 0", block numbers modulo 65536 on the wire.
 *
 * Threads talk to JS through one thread-safe function per environment: "packet" (a datagram that is
 * not an ACK, for JS to decode) and "ended" (the outcome and counters). JS talks to a thread through
 * end(): a flag plus shutdown(SHUT_RD), which wakes a thread blocked in recv (it returns 0).
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <node_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

enum outcome { OUTCOME_COMPLETED = 0, OUTCOME_TIMEOUT = 1, OUTCOME_ENDED = 2, OUTCOME_SOCKET_ERROR = 3 };
enum message_kind { MESSAGE_PACKET = 0, MESSAGE_ENDED = 1 };

/* Largest datagram we read from a client. An ACK is 4 octets; anything else goes to JS to decode. */
#define RECEIVE_BUFFER 65536
/* A thread's stack: the loop needs a few hundred bytes, the receive buffer is on the heap. */
#define THREAD_STACK (256 * 1024)

typedef struct transfer transfer;

/*
 * One per environment (the main thread, or a worker that loads the module). Never freed: a thread
 * may still be on its way out when the environment goes, and it must find `closed` set rather than
 * freed memory. It is a few dozen bytes per environment.
 */
typedef struct engine {
  napi_threadsafe_function tsfn;
  /* Transfers started and not yet reported ended; touched on the JS thread only. */
  uint32_t running;
  pthread_mutex_t lock; /* guards everything below */
  pthread_cond_t thread_left;
  int closed; /* the thread-safe function is gone: post nothing */
  transfer *threads; /* transfers whose thread is alive, for the teardown */
  uint32_t thread_count;
} engine;

struct transfer {
  engine *owner;
  transfer *next, *prev; /* in owner->threads while the thread runs */
  int fd;
  uint32_t id;
  atomic_int refs; /* the thread and the JS handle each hold one */
  pthread_mutex_t lock; /* guards fd against close/shutdown races, and the end request */
  int started;
  int finished; /* fd closed */
  atomic_int end_requested;
  uint8_t *end_packet;
  size_t end_packet_len;
  /* The plan (agent/serve/tftp/transfer.ts TransferPlan). data stays alive through data_ref. */
  const uint8_t *data;
  size_t size;
  napi_ref data_ref;
  uint32_t blksize, windowsize, retries;
  double initial_timeout_ms, max_timeout_ms;
  uint8_t *oack;
  size_t oack_len;
  uint8_t *timeout_error;
  size_t timeout_error_len;
};

typedef struct message {
  uint32_t id;
  int kind;
  uint8_t *packet;
  size_t packet_len;
  double ended[6]; /* outcome, acked, highest block sent, DATA packets, timeouts, duration ms */
  napi_ref data_ref;
} message;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void release(transfer *t) {
  if (atomic_fetch_sub(&t->refs, 1) != 1) return;
  pthread_mutex_destroy(&t->lock);
  free(t->end_packet);
  free(t->oack);
  free(t->timeout_error);
  free(t);
}

/* Closes the socket once; after this no shutdown() can reach a descriptor number reused by someone else. */
static void close_socket(transfer *t) {
  pthread_mutex_lock(&t->lock);
  if (!t->finished) {
    t->finished = 1;
    close(t->fd);
    t->fd = -1;
  }
  pthread_mutex_unlock(&t->lock);
}

/* ---------- the transfer thread ---------- */

typedef struct run_state {
  transfer *t;
  uint64_t total_blocks, acked, sent_up_to, highest_sent, data_packets, timeouts, retries_in_a_row;
  double timeout_ms, deadline, rcvtimeo_ms;
  int in_oack;
} run_state;

static void send_packet(run_state *s, const uint8_t *packet, size_t len) {
  /* A failed send is not actionable: the timer retransmits, and an unreachable client times out. */
  ssize_t r;
  do r = send(s->t->fd, packet, len, 0);
  while (r < 0 && errno == EINTR);
}

static void send_block(run_state *s, uint64_t block) {
  transfer *t = s->t;
  size_t start = (size_t)((block - 1) * t->blksize);
  size_t len = start >= t->size ? 0 : (t->size - start < t->blksize ? t->size - start : t->blksize);
  uint8_t header[4] = {0, 3, (uint8_t)((block >> 8) & 0xff), (uint8_t)(block & 0xff)};
  /* The header and a view of the file in one datagram, without copying the payload. */
  struct iovec iov[2] = {{header, 4}, {(void *)(t->data + start), len}};
  struct msghdr m;
  memset(&m, 0, sizeof m);
  m.msg_iov = iov;
  m.msg_iovlen = 2;
  ssize_t r;
  do r = sendmsg(t->fd, &m, 0);
  while (r < 0 && errno == EINTR);
  s->data_packets++;
  if (block > s->highest_sent) s->highest_sent = block;
}

static void arm(run_state *s) { s->deadline = now_ms() + s->timeout_ms; }

static void send_window(run_state *s, uint64_t from) {
  uint64_t to = from + s->t->windowsize - 1;
  if (to > s->total_blocks) to = s->total_blocks;
  for (uint64_t b = from; b <= to; b++) send_block(s, b);
  s->sent_up_to = to;
  arm(s);
}

static void progress(run_state *s) {
  s->retries_in_a_row = 0;
  s->timeout_ms = s->t->initial_timeout_ms;
}

/* Returns 1 when the last block is acknowledged. */
static int on_ack(run_state *s, uint16_t wire) {
  if (s->in_oack) {
    if (wire != 0) return 0; /* noise; the OACK timer keeps running until ACK 0 */
    s->in_oack = 0;
    progress(s);
    send_window(s, 1);
    return 0;
  }
  uint16_t ahead = (uint16_t)(wire - (uint16_t)(s->acked & 0xffff));
  if (ahead == 0) return 0; /* a duplicate: never answered */
  uint64_t n = s->acked + ahead;
  if (n > s->sent_up_to) return 0; /* stale or bogus */
  s->acked = n;
  progress(s);
  if (n == s->total_blocks) return 1;
  send_window(s, n + 1);
  return 0;
}

/* Returns 1 when the retry budget is spent (the ERROR has been sent). */
static int on_timeout(run_state *s) {
  s->timeouts++;
  if (s->retries_in_a_row >= s->t->retries) {
    send_packet(s, s->t->timeout_error, s->t->timeout_error_len);
    return 1;
  }
  s->retries_in_a_row++;
  s->timeout_ms = s->timeout_ms * 2 > s->t->max_timeout_ms ? s->t->max_timeout_ms : s->timeout_ms * 2;
  if (s->in_oack) {
    send_packet(s, s->t->oack, s->t->oack_len);
    arm(s);
  } else {
    send_window(s, s->acked + 1);
  }
  return 0;
}

/*
 * SO_RCVTIMEO bounds each recv; it is set only when the time left differs from the last value set,
 * so a lock-step block costs one sendmsg and one recv, nothing else. A wait may end up to 1 ms
 * after the deadline, which no retransmission timeout of at least 1 ms notices.
 */
static void set_receive_timeout(run_state *s, double left_ms) {
  if (s->rcvtimeo_ms >= left_ms && s->rcvtimeo_ms - left_ms <= 1.0) return;
  double ms = ceil(left_ms); /* whole milliseconds, so the next block's wait (a hair shorter) keeps it */
  struct timeval tv = {(time_t)(ms / 1000.0), (suseconds_t)(((long)ms % 1000) * 1000)};
  setsockopt(s->t->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  s->rcvtimeo_ms = ms;
}

static void post(engine *e, message *m) {
  pthread_mutex_lock(&e->lock);
  int sent = !e->closed && napi_call_threadsafe_function(e->tsfn, m, napi_tsfn_nonblocking) == napi_ok;
  pthread_mutex_unlock(&e->lock);
  if (!sent) {
    /* The environment is going away: nobody is left to tell. */
    free(m->packet);
    free(m);
  }
}

/* The thread's last act: off the engine's list, so a waiting teardown can go on. */
static void leave(transfer *t) {
  engine *e = t->owner;
  pthread_mutex_lock(&e->lock);
  if (t->prev) t->prev->next = t->next;
  else e->threads = t->next;
  if (t->next) t->next->prev = t->prev;
  e->thread_count--;
  pthread_cond_signal(&e->thread_left);
  pthread_mutex_unlock(&e->lock);
}

static void post_packet(transfer *t, const uint8_t *bytes, size_t len) {
  message *m = calloc(1, sizeof *m);
  if (!m) return;
  m->id = t->id;
  m->kind = MESSAGE_PACKET;
  m->packet = malloc(len ? len : 1);
  if (!m->packet) {
    free(m);
    return;
  }
  memcpy(m->packet, bytes, len);
  m->packet_len = len;
  post(t->owner, m);
}

static void *run(void *arg) {
  transfer *t = arg;
  run_state s;
  memset(&s, 0, sizeof s);
  s.t = t;
  /* The last block is always shorter than blksize (RFC 1350 §6), so a multiple ends with an empty one. */
  s.total_blocks = t->size / t->blksize + 1;
  s.timeout_ms = t->initial_timeout_ms;
  s.rcvtimeo_ms = -10;
  double started = now_ms();
  int outcome = OUTCOME_SOCKET_ERROR;
  uint8_t *buffer = malloc(RECEIVE_BUFFER);

  if (!buffer) goto done;
  if (t->oack_len > 0) {
    s.in_oack = 1;
    send_packet(&s, t->oack, t->oack_len);
    arm(&s);
  } else {
    send_window(&s, 1);
  }
  for (;;) {
    if (atomic_load(&t->end_requested)) {
      outcome = OUTCOME_ENDED;
      break;
    }
    double left = s.deadline - now_ms();
    if (left <= 0) {
      if (on_timeout(&s)) {
        outcome = OUTCOME_TIMEOUT;
        break;
      }
      continue;
    }
    set_receive_timeout(&s, left);
    ssize_t n = recv(t->fd, buffer, RECEIVE_BUFFER, 0);
    if (n < 0) {
      /* EAGAIN: the wait ran out; ECONNREFUSED: the client's ICMP port unreachable. Both are the timer's business. */
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNREFUSED) continue;
      break; /* the socket itself failed */
    }
    if (n >= 4 && buffer[0] == 0 && buffer[1] == 4) {
      if (on_ack(&s, (uint16_t)((buffer[2] << 8) | buffer[3]))) {
        outcome = OUTCOME_COMPLETED;
        break;
      }
      continue;
    }
    /* recv returns 0 after end()'s shutdown as well as for an empty datagram: the flag tells them apart. */
    if (n == 0 && atomic_load(&t->end_requested)) continue;
    post_packet(t, buffer, (size_t)n);
  }
  if (outcome == OUTCOME_ENDED) {
    pthread_mutex_lock(&t->lock);
    if (t->end_packet_len > 0) send_packet(&s, t->end_packet, t->end_packet_len);
    pthread_mutex_unlock(&t->lock);
  }
done:
  free(buffer);
  close_socket(t);
  message *m = calloc(1, sizeof *m);
  if (m) {
    m->id = t->id;
    m->kind = MESSAGE_ENDED;
    m->ended[0] = outcome;
    m->ended[1] = (double)s.acked;
    m->ended[2] = (double)s.highest_sent;
    m->ended[3] = (double)s.data_packets;
    m->ended[4] = (double)s.timeouts;
    m->ended[5] = now_ms() - started;
    m->data_ref = t->data_ref;
    post(t->owner, m);
  }
  leave(t);
  release(t);
  return NULL;
}

/* ---------- the JS side ---------- */

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
  if (close_now) close_socket(t);
  release(t);
}

static int parse_address(const char *text, uint16_t port, struct sockaddr_storage *out, socklen_t *len) {
  memset(out, 0, sizeof *out);
  struct sockaddr_in *v4 = (struct sockaddr_in *)out;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
  if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    *len = sizeof *v4;
    return AF_INET;
  }
  if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    *len = sizeof *v6;
    return AF_INET6;
  }
  return -1;
}

/*
 * open(host, clientAddress, clientPort) -> [handle, port]: a socket on a fresh ephemeral port of
 * host, connected to the client (the kernel then hands it only the client's datagrams). SO_REUSEADDR
 * lets JS bind a second, unconnected socket to the same port for other TIDs (transfer-socket.ts).
 */
static napi_value open_transfer(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  char host[64], client[64];
  uint32_t client_port;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
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
  pthread_mutex_init(&t->lock, NULL);
  napi_value handle, port_value, result;
  if (napi_create_external(env, t, finalize_handle, NULL, &handle) != napi_ok) {
    close_socket(t);
    release(t);
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
  if (napi_create_reference(env, argv[2], 1, &t->data_ref) != napi_ok) {
    close_socket(t);
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
  int err = pthread_create(&thread, &attr, run, t);
  pthread_attr_destroy(&attr);
  if (err != 0) {
    leave(t);
    atomic_fetch_sub(&t->refs, 1);
    napi_delete_reference(env, t->data_ref);
    close_socket(t);
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
