/*
 * A transfer's thread: the window rules of agent/serve/tftp/transfer.ts, rule for rule (that file says
 * why each is there), on a socket connected to the client. Progress only on an ACK inside the window
 * sent; duplicates never answered (Sorcerer's Apprentice, RFC 1123 §4.2.3.1); retransmission on timeout
 * only, with back-off and a retry budget; the OACK as "block 0"; block numbers modulo 65536 on the wire.
 * Anything that is not an ACK goes to JS to decode (native-session.ts), which may then ask to end.
 */
#define _GNU_SOURCE
#include "tftp-transfer.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void transfer_release(transfer *t) {
  if (atomic_fetch_sub(&t->refs, 1) != 1) return;
  pthread_mutex_destroy(&t->lock);
  free(t->end_packet);
  free(t->oack);
  free(t->timeout_error);
  free(t->ended_message);
  free(t);
}

/* Closes the socket once; after this no shutdown() can reach a descriptor number reused by someone else. */
void transfer_close_socket(transfer *t) {
  pthread_mutex_lock(&t->lock);
  if (!t->finished) {
    t->finished = 1;
    close(t->fd);
    t->fd = -1;
  }
  pthread_mutex_unlock(&t->lock);
}

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

/* Hands m to JS; returns 0 (and m is still the caller's) when the environment is going away. */
static int post(engine *e, message *m) {
  pthread_mutex_lock(&e->lock);
  int sent = !e->closed && napi_call_threadsafe_function(e->tsfn, m, napi_tsfn_nonblocking) == napi_ok;
  pthread_mutex_unlock(&e->lock);
  return sent;
}

/* The thread's last act: off the engine's list, so a waiting teardown can go on. */
void transfer_leave(transfer *t) {
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
  if (atomic_load(&t->pending_packets) >= MAX_PENDING_PACKETS) return;
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
  m->from = t;
  atomic_fetch_add(&t->pending_packets, 1);
  atomic_fetch_add(&t->refs, 1); /* given back by call_js (tftp-transfer.c) */
  if (!post(t->owner, m)) {
    atomic_fetch_sub(&t->pending_packets, 1);
    atomic_fetch_sub(&t->refs, 1); /* the thread's own reference is still held */
    free(m->packet);
    free(m);
  }
}

void *transfer_run(void *arg) {
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
  transfer_close_socket(t);
  message *m = t->ended_message;
  if (m) {
    t->ended_message = NULL;
    m->id = t->id;
    m->kind = MESSAGE_ENDED;
    m->ended[0] = outcome;
    m->ended[1] = (double)s.acked;
    m->ended[2] = (double)s.highest_sent;
    m->ended[3] = (double)s.data_packets;
    m->ended[4] = (double)s.timeouts;
    m->ended[5] = now_ms() - started;
    m->data_ref = t->data_ref;
    if (!post(t->owner, m)) free(m); /* the environment is going away: nobody is left to tell */
  }
  transfer_leave(t);
  transfer_release(t);
  return NULL;
}
